import { readFileSync } from 'node:fs';
import type { PoolConfig } from 'pg';
import type { SignerConfig } from '@aws-sdk/rds-signer';

/** Where and as whom to connect with IAM database authentication (nothing secret). */
export interface RdsIamTarget {
  host: string;
  port: number;
  database: string;
  user: string;
  /** The database's region (on Lambda AWS_REGION); else the SDK's default resolution. */
  region?: string;
}

export interface RdsIamOptions {
  /** PEM file of the CAs that sign RDS certificates (on Lambda /var/runtime/ca-cert.pem). */
  caBundlePath?: string;
  /** Credentials to sign with; the default provider chain (the function's role) otherwise. */
  credentials?: SignerConfig['credentials'];
}

/**
 * The pg `password` of IAM database authentication: an async function that returns a fresh
 * token (a SigV4-presigned `connect` URL, valid 15 minutes) each time pg opens a connection.
 * node-postgres calls a function password once per new client, so an idle pool that reconnects
 * an hour later signs again instead of replaying an expired token. Signing is local (no network
 * call); the credentials are the function role's, refreshed by the SDK before they expire.
 * The signer is loaded on first use, so nothing pays for it unless IAM auth is in use.
 */
export function rdsIamPassword(target: RdsIamTarget, options: RdsIamOptions = {}): () => Promise<string> {
  let signer: Promise<{ getAuthToken(): Promise<string> }> | undefined;
  return async () => {
    signer ??= import('@aws-sdk/rds-signer').then(
      ({ Signer }) =>
        new Signer({
          hostname: target.host,
          port: target.port,
          username: target.user,
          ...(target.region && { region: target.region }),
          ...(options.credentials && { credentials: options.credentials }),
        }),
    );
    return (await signer).getAuthToken();
  };
}

/**
 * node-postgres pool settings for IAM auth. TLS as `sslmode=verify-full` (RDS refuses IAM
 * logins without TLS anyway): the certificate must chain to the RDS CAs and name the host
 * (Node checks the name against `servername`, which pg sets to the host).
 */
export function rdsIamPoolConfig(target: RdsIamTarget, options: RdsIamOptions = {}): PoolConfig {
  return {
    host: target.host,
    port: target.port,
    database: target.database,
    user: target.user,
    password: rdsIamPassword(target, options),
    ssl: {
      rejectUnauthorized: true,
      ...(options.caBundlePath && { ca: readFileSync(options.caBundlePath, 'utf8') }),
    },
  };
}
