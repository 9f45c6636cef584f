import { SSMClient } from '@aws-sdk/client-ssm';
import { OpsError, type OpsContext } from './context.js';

/** What every SDK client of a command is built with: the pass-through --profile and --region. */
export interface AwsClientConfig {
  profile?: string;
  region?: string;
}

export function clientConfig(ctx: Pick<OpsContext, 'profile' | 'region'>): AwsClientConfig {
  return { ...(ctx.profile && { profile: ctx.profile }), ...(ctx.region && { region: ctx.region }) };
}

export type CredentialCheck = { ok: true; accessKeyId: string; region: string | undefined } | { ok: false; reason: string };

/**
 * Looks for AWS credentials the way every SDK client will (the default provider chain:
 * environment, SSO, shared files with --profile, process, web identity, container, instance
 * metadata) and gives up after `timeoutMs`, so that a machine without network or credentials
 * gets an answer in seconds instead of waiting for the instance metadata service.
 */
export async function detectCredentials(ctx: Pick<OpsContext, 'profile' | 'region'>, timeoutMs = 5000): Promise<CredentialCheck> {
  // The region does not matter for finding credentials; a client needs one to be built.
  const client = new SSMClient({ ...clientConfig(ctx), region: ctx.region ?? 'us-east-1' });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CredentialCheck>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, reason: `no AWS credentials found within ${Math.round(timeoutMs / 1000)} s` }),
      timeoutMs,
    );
    timer.unref();
  });
  const lookup = client.config
    .credentials()
    .then((c): CredentialCheck => ({ ok: true, accessKeyId: c.accessKeyId, region: undefined }))
    .catch((err: unknown): CredentialCheck => ({ ok: false, reason: errorText(err) }));
  try {
    const found = await Promise.race([lookup, timeout]);
    if (!found.ok) return found;
    return { ...found, region: await resolveRegion(ctx).catch(() => undefined) };
  } finally {
    clearTimeout(timer);
    client.destroy();
  }
}

/** The region clients will use: --region, else AWS_REGION / AWS_DEFAULT_REGION / the profile's. */
export async function resolveRegion(ctx: Pick<OpsContext, 'profile' | 'region'>): Promise<string> {
  if (ctx.region) return ctx.region;
  const client = new SSMClient(clientConfig(ctx));
  try {
    return await client.config.region();
  } catch {
    throw new OpsError('No AWS region: pass --region (e.g. --region us-east-1), set AWS_REGION, or set a region in your AWS profile.');
  } finally {
    client.destroy();
  }
}

/** Stops a command that needs AWS at once, with what to do, when no credentials are found. */
export async function requireCredentials(ctx: OpsContext): Promise<{ region: string }> {
  const found = await detectCredentials(ctx);
  if (!found.ok) {
    throw new OpsError(
      [
        `No AWS credentials${ctx.profile ? ` for profile "${ctx.profile}"` : ''}: ${found.reason}.`,
        'Configure them with AWS CLI v2 (`aws configure sso` or `aws configure`), or export',
        'AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), then pass --profile NAME',
        'if they live in a named profile. See docs/deploy.md, "Prerequisites".',
      ].join('\n'),
    );
  }
  return { region: found.region ?? (await resolveRegion(ctx)) };
}

export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0]!;
  return String(err);
}

/** The SDK's error name (`ParameterNotFound`, `ResourceNotFoundException`, …) or undefined. */
export function awsErrorName(err: unknown): string | undefined {
  return err && typeof err === 'object' && 'name' in err && typeof err.name === 'string' ? err.name : undefined;
}
