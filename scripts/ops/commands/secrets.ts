import { execFile } from 'node:child_process';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { GetParameterCommand, GetParametersByPathCommand, PutParameterCommand, SSMClient, type Parameter } from '@aws-sdk/client-ssm';
import { PARAMETER_NAMES, parameterPrefix, type DeploymentEnv } from '../../../src/contracts/aws.js';
import { awsErrorName, clientConfig, requireCredentials } from '../lib/aws.js';
import { OpsError, line, type OpsContext } from '../lib/context.js';
import { mergeDotenv, parseDotenv } from '../lib/dotenv.js';
import { opsAction, opsCommand, type CommonOptions, type Runtime } from '../lib/program.js';

/**
 * The API keys of an environment live in Parameter Store as SecureString parameters named
 * `/collections/{env}/{NAME}` for NAME in SECRET_NAMES (src/contracts/aws.ts); the functions read
 * them at run time, with the settings of SETTING_NAMES (provider choices, ADMIN_USER_IDS), which
 * these commands move too and also store as SecureString: one type for everything under the
 * prefix, and a setting such as ADMIN_USER_IDS is no one else's business either. These commands move them between a `.env` file and Parameter Store and never
 * print a value: only names and what happened to each.
 */
export const secretParameterName = (env: DeploymentEnv, name: string) => `${parameterPrefix(env)}${name}`;

export type SecretOutcome = 'set' | 'unchanged' | 'not in file' | 'empty in file' | 'would set';

export interface PopulateResult {
  name: string;
  parameter: string;
  outcome: SecretOutcome;
}

/** Writes each secret the .env file holds (non-empty) as a SecureString, unless it already has that value. */
export async function populateSecrets(
  ssm: SSMClient,
  env: DeploymentEnv,
  dotenvText: string,
  opts: { kmsKeyId?: string; dryRun?: boolean } = {},
): Promise<PopulateResult[]> {
  const entries = parseDotenv(dotenvText);
  const results: PopulateResult[] = [];
  for (const name of PARAMETER_NAMES) {
    const parameter = secretParameterName(env, name);
    const entry = entries.get(name);
    if (!entry) {
      results.push({ name, parameter, outcome: 'not in file' });
      continue;
    }
    if (entry.value === '') {
      results.push({ name, parameter, outcome: 'empty in file' });
      continue;
    }
    const current = await getSecureValue(ssm, parameter);
    if (current !== undefined && current.value === entry.value && current.type === 'SecureString') {
      results.push({ name, parameter, outcome: 'unchanged' });
      continue;
    }
    if (opts.dryRun) {
      results.push({ name, parameter, outcome: 'would set' });
      continue;
    }
    await ssm.send(
      new PutParameterCommand({
        Name: parameter,
        Value: entry.value,
        Type: 'SecureString',
        Overwrite: true,
        ...(opts.kmsKeyId && { KeyId: opts.kmsKeyId }),
        Description: `Collections ${env}: ${name} (written by ops secrets-populate)`,
      }),
    );
    results.push({ name, parameter, outcome: 'set' });
  }
  return results;
}

async function getSecureValue(ssm: SSMClient, name: string): Promise<{ value: string; type: string } | undefined> {
  try {
    const { Parameter: p } = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
    return p?.Value !== undefined ? { value: p.Value, type: p.Type ?? 'String' } : undefined;
  } catch (err) {
    if (awsErrorName(err) === 'ParameterNotFound') return undefined;
    throw err;
  }
}

/** Every parameter under the environment's prefix (decrypted), by secret name. */
export async function readSecrets(ssm: SSMClient, env: DeploymentEnv): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  let NextToken: string | undefined;
  do {
    const page = await ssm.send(
      // The hierarchy without its trailing slash, as GetParametersByPath documents it.
      new GetParametersByPathCommand({ Path: parameterPrefix(env).replace(/\/+$/, ''), Recursive: false, WithDecryption: true, NextToken }),
    );
    for (const p of page.Parameters ?? ([] as Parameter[])) {
      if (p.Name && p.Value !== undefined) found.set(p.Name.slice(parameterPrefix(env).length), p.Value);
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return found;
}

interface SecretsOptions extends CommonOptions {
  file?: string;
  kmsKeyId?: string;
  dryRun?: boolean;
}

const defaultFile = '.env';

function reportResults(ctx: OpsContext, rows: { name: string; parameter: string; outcome: string }[]) {
  const width = Math.max(...rows.map((r) => r.parameter.length));
  for (const r of rows) line(ctx.io.stdout, `${r.parameter.padEnd(width)}  ${r.outcome}`);
}

export function secretsPopulateCommand(rt: Runtime, exit: { code: number }) {
  return opsCommand(
    'secrets-populate',
    `Copy ${PARAMETER_NAMES.join(', ')} from a .env file to Parameter Store (SecureString under /collections/{env}/); prints names, never values`,
  )
    .option('-f, --file <path>', '.env file to read', defaultFile)
    .option('--kms-key-id <id>', 'KMS key for the SecureStrings (default: the account’s aws/ssm key)')
    .option('--dry-run', 'say what would be set, change nothing')
    .action(
      opsAction<SecretsOptions>(rt, exit, async (ctx, opts) => {
        const file = path.resolve(ctx.root, opts.file ?? defaultFile);
        let text: string;
        try {
          text = await readFile(file, 'utf8');
        } catch {
          throw new OpsError(`Cannot read ${file}: put the keys there as NAME=value lines (${PARAMETER_NAMES.join(', ')}).`);
        }
        const { region } = await requireCredentials(ctx);
        const ssm = new SSMClient(clientConfig({ ...ctx, region }));
        try {
          const results = await populateSecrets(ssm, ctx.env, text, opts);
          reportResults(ctx, results);
          const set = results.filter((r) => r.outcome === 'set').length;
          line(
            ctx.io.stderr,
            `${ctx.env} (${region}): ${set} set, ${results.filter((r) => r.outcome === 'unchanged').length} unchanged, from ${path.relative(ctx.root, file) || file}.`,
          );
          if (set > 0)
            line(
              ctx.io.stderr,
              'Functions read the keys at cold start: new values reach them at the next deploy or as warm instances are replaced (docs/deploy.md, "Secrets").',
            );
          return 0;
        } finally {
          ssm.destroy();
        }
      }),
    );
}

export function secretsExportCommand(rt: Runtime, exit: { code: number }) {
  return opsCommand(
    'secrets-export',
    'Write the environment’s Parameter Store secrets into a .env file (merged; names printed, never values)',
  )
    .option('-f, --file <path>', '.env file to write (other lines in it are kept)', defaultFile)
    .action(
      opsAction<SecretsOptions>(rt, exit, async (ctx, opts) => {
        const file = path.resolve(ctx.root, opts.file ?? defaultFile);
        const { region } = await requireCredentials(ctx);
        const ssm = new SSMClient(clientConfig({ ...ctx, region }));
        try {
          const stored = await readSecrets(ssm, ctx.env);
          const updates = new Map<string, string>();
          for (const name of PARAMETER_NAMES) {
            const value = stored.get(name);
            if (value !== undefined) updates.set(name, value);
          }
          const before = await readFile(file, 'utf8').catch(() => '');
          const previous = parseDotenv(before);
          await writeFile(file, mergeDotenv(before, updates), { mode: 0o600 });
          await chmod(file, 0o600);
          reportResults(
            ctx,
            PARAMETER_NAMES.map((name) => ({
              name,
              parameter: secretParameterName(ctx.env, name),
              outcome: !updates.has(name)
                ? 'not in Parameter Store'
                : previous.get(name)?.value === updates.get(name)
                  ? 'unchanged'
                  : 'set',
            })),
          );
          line(
            ctx.io.stderr,
            `Wrote ${updates.size} of ${PARAMETER_NAMES.length} secrets of ${ctx.env} to ${path.relative(ctx.root, file) || file} (mode 600).`,
          );
          if (!(await isGitIgnored(ctx.root, file))) {
            line(ctx.io.stderr, `WARNING: ${file} is not ignored by git; do not commit it.`);
          }
          return 0;
        } finally {
          ssm.destroy();
        }
      }),
    );
}

async function isGitIgnored(root: string, file: string): Promise<boolean> {
  try {
    await promisify(execFile)('git', ['check-ignore', '-q', file], { cwd: root });
    return true;
  } catch {
    return false;
  }
}
