import { existsSync } from 'node:fs';
import { loadConfig, type Config } from '../config.js';
import { PARAMETER_NAMES } from '../aws/contract.js';
import { ParameterStoreSecrets, readSecretString } from '../adapters/secrets/index.js';
import { postgresUrlFromSecret } from '../adapters/database/rds-secret.js';
import { PostgresDatabase } from '../adapters/database/postgres.js';
import type { Database } from '../ports/database.js';

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
 * - the RDS credentials from the DATABASE_SECRET_ARN secret, as DATABASE_URL (with TLS),
 *   unless DATABASE_URL is set explicitly.
 * The secrets are merged into a copy of the environment that only loadConfig sees: they never
 * enter process.env, where child processes and crash dumps would see them.
 */
export async function loadLambdaConfig(env: Env = process.env, options: LambdaConfigOptions = {}): Promise<Config> {
  const { parameterPrefix, databaseSecretArn } = loadConfig(env).secretSources;
  const wantKeys = options.apiKeys !== false && !!parameterPrefix;
  const [keys, databaseUrl] = await Promise.all([
    wantKeys ? keysUnder(parameterPrefix!) : {},
    !env.DATABASE_URL && databaseSecretArn
      ? readSecretString(databaseSecretArn).then((secret) => postgresUrlFromSecret(secret, { caBundlePath: rdsCaBundle(env) }))
      : undefined,
  ]);
  return loadConfig({ ...env, ...keys, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
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
 * environment, and hundreds of environments must not exhaust RDS's connection limit.
 */
export const LAMBDA_POOL_SIZE = 2;

export function openLambdaDatabase(config: Config): Database {
  if (config.database.kind !== 'postgres') {
    throw new Error('On Lambda the database is Postgres: set DATABASE_SECRET_ARN (or DATABASE_URL).');
  }
  return new PostgresDatabase(config.database.url, LAMBDA_POOL_SIZE);
}
