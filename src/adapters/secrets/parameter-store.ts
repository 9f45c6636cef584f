import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import type { SSMClient } from '@aws-sdk/client-ssm';

export interface ParameterStoreSecretsOptions {
  /** e.g. `/collections/dev/` (src/contracts/aws.ts parameterPrefix). */
  prefix: string;
  /** The only parameter names taken from under the prefix (SECRET_NAMES). */
  names: readonly string[];
  /** How long values are reused before Parameter Store is asked again. */
  maxAgeSeconds?: number;
  client?: SSMClient;
}

/**
 * API keys kept as SecureString parameters under one prefix (`/collections/{env}/NAME`), read
 * with one paginated GetParametersByPath call, decrypted, and cached by Powertools for
 * `maxAgeSeconds`. Parameters that do not exist are simply absent (every key is optional), and
 * anything under the prefix that is not a known secret name is ignored: a stray parameter
 * called DATABASE_URL must not be able to redirect the app.
 */
export class ParameterStoreSecrets {
  private readonly provider: SSMProvider;
  private readonly path: string;

  constructor(private readonly options: ParameterStoreSecretsOptions) {
    if (!options.prefix.startsWith('/')) throw new Error(`SSM_PARAMETER_PREFIX must start with "/", got "${options.prefix}"`);
    // GetParametersByPath takes the hierarchy without its trailing slash.
    this.path = options.prefix.length > 1 ? options.prefix.replace(/\/+$/, '') : options.prefix;
    this.provider = new SSMProvider(options.client ? { awsSdkV3Client: options.client } : {});
  }

  async read(): Promise<Record<string, string>> {
    const values = await this.provider.getMultiple(this.path, {
      decrypt: true,
      recursive: false,
      maxAge: this.options.maxAgeSeconds ?? 300,
      throwOnTransformError: true,
    });
    const known: Record<string, string> = {};
    for (const name of this.options.names) {
      const value = values?.[name];
      if (typeof value === 'string' && value.trim() !== '') known[name] = value;
    }
    return known;
  }
}
