import { z } from 'zod';

/**
 * The JSON that RDS / the CDK's DatabaseSecret keep in Secrets Manager (extra keys such as
 * `engine` and `dbInstanceIdentifier` are ignored). `dbname` is absent when the instance was
 * created without a database name: Postgres then has only `postgres`.
 */
const RdsSecretSchema = z.object({
  host: z.string().min(1),
  port: z.coerce.number().int().min(1).max(65535).default(5432),
  username: z.string().min(1),
  password: z.string().min(1),
  dbname: z.string().min(1).default('postgres'),
});

/**
 * A `postgres://` URL from the RDS credentials secret, always with TLS and full certificate
 * checks (`sslmode=verify-full`: the server's certificate must chain to a trusted CA and name
 * the host). RDS certificates chain to the Amazon RDS CAs, which Node does not trust by
 * default: `caBundlePath` names a PEM file of trusted CAs for this connection (on Lambda the
 * runtime ships Amazon's, RDS included, at /var/runtime/ca-cert.pem). Errors name the missing
 * fields, never the secret's content.
 */
export function postgresUrlFromSecret(secretString: string, options: { caBundlePath?: string } = {}): string {
  let json: unknown;
  try {
    json = JSON.parse(secretString);
  } catch {
    throw new Error('the database secret is not JSON (expected {host, port, username, password, dbname})');
  }
  const parsed = RdsSecretSchema.safeParse(json);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(root)'))].join(', ');
    throw new Error(`the database secret is missing or has invalid fields: ${fields}`);
  }
  const s = parsed.data;
  const host = s.host.includes(':') ? `[${s.host}]` : s.host; // an IPv6 literal
  const user = encodeURIComponent(s.username);
  const password = encodeURIComponent(s.password);
  const ca = options.caBundlePath ? `&sslrootcert=${encodeURIComponent(options.caBundlePath)}` : '';
  return `postgres://${user}:${password}@${host}:${s.port}/${encodeURIComponent(s.dbname)}?sslmode=verify-full${ca}`;
}
