import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/**
 * Reads one Secrets Manager secret (the RDS credentials) with the SDK's client: its credential
 * chain (Lambda role, environment) and its endpoint resolution, which honours
 * AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS_ENDPOINT_URL (tests point it at a loopback server).
 */
export interface SecretsManagerReaderOptions {
  /** Default: the region in the secret's ARN, else AWS_REGION. */
  region?: string;
  timeoutMs?: number;
}

/** `arn:aws:secretsmanager:eu-west-1:123456789012:secret:name-AbCdEf` → `eu-west-1`. */
export const regionOfArn = (arn: string): string | undefined => /^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):/.exec(arn)?.[1];

export async function readSecretString(secretId: string, options: SecretsManagerReaderOptions = {}): Promise<string> {
  const region = options.region ?? regionOfArn(secretId) ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region) throw new Error('Secrets Manager: no region (set AWS_REGION or use the secret ARN)');
  const client = new SecretsManagerClient({ region });
  try {
    const reply = await client.send(new GetSecretValueCommand({ SecretId: secretId }), {
      abortSignal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    if (typeof reply.SecretString !== 'string') throw new Error('the secret has no SecretString (binary secrets are not supported)');
    return reply.SecretString;
  } catch (err) {
    const name = (err as { name?: string }).name ?? 'error';
    throw new Error(`Secrets Manager GetSecretValue failed (${name}): ${(err as Error).message}`);
  } finally {
    client.destroy();
  }
}
