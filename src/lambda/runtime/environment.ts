import { existsSync } from 'node:fs';
import { loadConfig, type Config } from '../../shared/config.js';
import { PARAMETER_NAMES } from '../../contracts/aws.js';
import { ParameterStoreSecrets, readSecretString } from '../../adapters/secrets/index.js';
import { postgresUrlFromSecret } from '../../adapters/database/rds-secret.js';
import { rdsIamPoolConfig, type RdsIamTarget } from '../../adapters/database/rds-iam.js';
import { PostgresDatabase } from '../../adapters/database/postgres.js';
import { LAMBDA_POOL_SIZE } from '../../contracts/aws.js';
import type { Database } from '../../ports/database.js';

type Env = Record<string, string | undefined>;

export interface LambdaConfigOptions {
  /** Read the API keys under SSM_PARAMETER_PREFIX (the migrate and cleanup functions need none). */
  apiKeys?: boolean;
}

/**
 * The configuration of a Lambda: the function's environment (which the stack fills with names
 * and ARNs, never secrets) plus the secrets it points at, read once per cold start:
 * - the API keys of SECRET_NAMES, SecureString parameters under SSM_PARAMETER_PREFIX, and the
 *   provider and admin settings of SETTING_NAMES beside them;
 *   a parameter overrides an environment variable of the same name (the environment is not
 *   where keys live on AWS, so a stale one there must not shadow a rotated key);
 * - the database, first of:
 *   1. DATABASE_URL, as set (local runs and tests: PGlite behind a socket, no IAM);
 *   2. DATABASE_SECRET_ARN: the RDS master credentials from Secrets Manager, as DATABASE_URL
 *      with TLS — only the migrate function has it (it creates the app user and the schema),
 *      and it reads the secret at every run, so the secret's rotation never strands it;
 *   3. DATABASE_HOST + DATABASE_USER: IAM database authentication, a fresh token per connection
 *      (`databaseIam`, see openLambdaDatabase) — every other function: no password exists to
 *      leak or rotate.
 * The secrets are merged into a copy of the environment that only loadConfig sees: they never
 * enter process.env, where child processes and crash dumps would see them.
 */
export async function loadLambdaConfig(env: Env = process.env, options: LambdaConfigOptions = {}): Promise<LambdaConfig> {
  const { parameterPrefix, databaseSecretArn, databaseIam } = loadConfig(env).secretSources;
  const wantKeys = options.apiKeys !== false && !!parameterPrefix;
  const iam = !env.DATABASE_URL && !databaseSecretArn ? databaseIam : undefined;
  const [keys, databaseUrl] = await Promise.all([
    wantKeys ? keysUnder(parameterPrefix!) : {},
    !env.DATABASE_URL && databaseSecretArn
      ? readSecretString(databaseSecretArn).then((secret) => postgresUrlFromSecret(secret, { caBundlePath: rdsCaBundle(env) }))
      : iam
        ? iamUrl(iam)
        : undefined,
  ]);
  const config = loadConfig({ ...env, ...keys, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
  return iam ? { ...config, databaseIam: { ...iam, caBundlePath: rdsCaBundle(env) } } : config;
}

/** A Lambda's configuration; `databaseIam` when the database is reached with IAM tokens. */
export type LambdaConfig = Config & { databaseIam?: RdsIamTarget & { caBundlePath?: string } };

/** What Config.database says in IAM mode (kind postgres; no password in it, the pool signs). */
function iamUrl(t: RdsIamTarget): string {
  const host = t.host.includes(':') ? `[${t.host}]` : t.host;
  return `postgres://${encodeURIComponent(t.user)}@${host}:${t.port}/${encodeURIComponent(t.database)}?sslmode=verify-full`;
}

/** One provider per prefix for the life of the environment, so its cache outlives a failed cold start. */
const parameterStores = new Map<string, ParameterStoreSecrets>();
function keysUnder(prefix: string): Promise<Record<string, string>> {
  let store = parameterStores.get(prefix);
  if (!store) parameterStores.set(prefix, (store = new ParameterStoreSecrets({ prefix, names: PARAMETER_NAMES })));
  return store.read();
}

/**
 * The CAs that sign RDS certificates. Lambda's Node runtimes (18+) no longer trust them by
 * default but ship them in /var/runtime/ca-cert.pem: used for the database connection unless
 * NODE_EXTRA_CA_CERTS already adds them to the process (then Node's store has them).
 */
const LAMBDA_CA_BUNDLE = '/var/runtime/ca-cert.pem';
function rdsCaBundle(env: Env): string | undefined {
  return !env.NODE_EXTRA_CA_CERTS && existsSync(LAMBDA_CA_BUNDLE) ? LAMBDA_CA_BUNDLE : undefined;
}

/**
 * Lambda never creates or migrates the schema at cold start (the migrate function does, once per
 * deployment), and keeps its pool small: one invocation at a time runs in an execution
 * environment, and the functions' reserved concurrency × this must fit RDS's max_connections
 * (the stack checks that sum at synth: infra/lib/config.ts).
 */
export { LAMBDA_POOL_SIZE };

export function openLambdaDatabase(config: LambdaConfig): Database {
  if (config.database.kind !== 'postgres') {
    throw new Error(
      'On Lambda the database is Postgres: set DATABASE_HOST and DATABASE_USER (IAM auth), DATABASE_SECRET_ARN or DATABASE_URL.',
    );
  }
  if (config.databaseIam) {
    const { caBundlePath, ...target } = config.databaseIam;
    return new PostgresDatabase(rdsIamPoolConfig(target, { caBundlePath }), LAMBDA_POOL_SIZE);
  }
  return new PostgresDatabase(config.database.url, LAMBDA_POOL_SIZE);
}
