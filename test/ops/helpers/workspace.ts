import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import type { Runtime } from '../../../scripts/ops/lib/program.js';

/** A stream that collects what is written to it. */
export class Capture extends PassThrough {
  text = '';
  constructor() {
    super();
    this.on('data', (c: Buffer) => (this.text += c.toString()));
  }
}

/** A Runtime over a temporary repository root: stdin from `input` (then end), captured stdout/stderr. */
export function runtime(root: string, vars: NodeJS.ProcessEnv = {}, input = ''): Runtime & { out: Capture; err: Capture } {
  const out = new Capture();
  const err = new Capture();
  return { io: { stdin: Readable.from(input ? [input] : []), stdout: out, stderr: err }, vars, root, out, err };
}

/** A temporary repository root with infra/cdk.json, removed by the returned function. */
export async function tempRoot(prefix = 'collections-ops-') {
  const root = await mkdtemp(path.join(tmpdir(), prefix));
  await mkdir(path.join(root, 'infra'), { recursive: true });
  await writeFile(path.join(root, 'infra', 'cdk.json'), '{"app":"echo"}\n');
  return { root, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/**
 * Process environment without any AWS credentials or profile: the SDK's default chain finds
 * nothing, even on a machine that has ~/.aws configured. Returns a function that restores it.
 */
export function withoutAwsCredentials(root: string): () => void {
  const saved = { ...process.env };
  for (const key of Object.keys(process.env)) {
    if (
      /^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE|DEFAULT_PROFILE|ROLE_ARN|WEB_IDENTITY_TOKEN_FILE|CONTAINER_|REGION|DEFAULT_REGION|ENDPOINT_URL)/.test(
        key,
      )
    ) {
      delete process.env[key];
    }
  }
  process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(root, 'no-credentials');
  process.env.AWS_CONFIG_FILE = path.join(root, 'no-config');
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  return () => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  };
}

/** Static fake credentials (the loopback servers accept any signature). */
export function withFakeAwsCredentials(root: string, extra: Record<string, string> = {}): () => void {
  const restore = withoutAwsCredentials(root);
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDTESTTESTTEST', AWS_SECRET_ACCESS_KEY: 'test-secret-key', ...extra });
  return restore;
}
