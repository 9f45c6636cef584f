import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DeploymentEnv } from '../../../src/contracts/aws.js';
import { OpsError } from './context.js';
import type { CfnStack, DescribeStacksResponse } from './sdk.js';

/**
 * `.aws-outputs-{env}.json`: the CloudFormation outputs of an environment's stacks, written by
 * `ops outputs` (and after `ops deploy`) and read by `ops test-infra`, `ops users-create`,
 * `ops logs`, the web app's configuration, and people. Shape:
 *
 *   { "env": "dev", "region": "us-east-1", "account": "123456789012", "written_at": ISO,
 *     "source": "cloudformation" | "cdk-deploy",
 *     "stacks": { "<StackName>": { "status": "UPDATE_COMPLETE", "outputs": { "<OutputKey>": "value" } } },
 *     "outputs": { "<OutputKey>": "value", … } }          // every stack's outputs in one map
 *
 * Output keys are the stack's own (see infra/); `OUTPUT_KEYS` names the ones the commands use.
 */
export interface OutputsFile {
  env: DeploymentEnv;
  region?: string;
  account?: string;
  written_at: string;
  source: 'cloudformation' | 'cdk-deploy';
  stacks: Record<string, { status?: string; outputs: Record<string, string> }>;
  outputs: Record<string, string>;
}

export const outputsPath = (root: string, env: DeploymentEnv) => path.join(root, `.aws-outputs-${env}.json`);

/** `arn:aws:cloudformation:us-east-1:123456789012:stack/Name/uuid` → region and account. */
export function parseStackArn(arn: string | undefined): { region?: string; account?: string } {
  const m = arn ? /^arn:[^:]+:cloudformation:([^:]+):(\d{12}):stack\//.exec(arn) : null;
  return m ? { region: m[1]!, account: m[2]! } : {};
}

/** The outputs file from DescribeStacks responses (one per stack, or one listing several). */
export function outputsFromDescribeStacks(env: DeploymentEnv, responses: readonly DescribeStacksResponse[], now = new Date()): OutputsFile {
  const stacks: CfnStack[] = responses.flatMap((r) => r.Stacks ?? []);
  const file: OutputsFile = { env, written_at: now.toISOString(), source: 'cloudformation', stacks: {}, outputs: {} };
  for (const stack of stacks) {
    const name = stack.StackName ?? stack.StackId ?? 'unknown';
    const outputs: Record<string, string> = {};
    for (const o of stack.Outputs ?? []) if (o.OutputKey && o.OutputValue !== undefined) outputs[o.OutputKey] = o.OutputValue;
    file.stacks[name] = { ...(stack.StackStatus && { status: stack.StackStatus }), outputs };
    const where = parseStackArn(stack.StackId);
    file.region ??= where.region;
    file.account ??= where.account;
  }
  file.outputs = flatten(file.stacks);
  return file;
}

/** The outputs file from what `cdk deploy --outputs-file F` writes: `{ StackName: { Key: value } }`. */
export function outputsFromCdkOutputsFile(
  env: DeploymentEnv,
  cdkOutputs: Record<string, Record<string, unknown>>,
  where: { region?: string; account?: string } = {},
  now = new Date(),
): OutputsFile {
  const stacks: OutputsFile['stacks'] = {};
  for (const [name, outputs] of Object.entries(cdkOutputs)) {
    stacks[name] = { outputs: Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, String(v)])) };
  }
  return { env, ...where, written_at: now.toISOString(), source: 'cdk-deploy', stacks, outputs: flatten(stacks) };
}

function flatten(stacks: OutputsFile['stacks']): Record<string, string> {
  const flat: Record<string, string> = {};
  const seen = new Map<string, string>();
  for (const [stack, { outputs }] of Object.entries(stacks)) {
    for (const [key, value] of Object.entries(outputs)) {
      const other = seen.get(key);
      if (other !== undefined && flat[key] !== value) {
        // The same key in two stacks with different values: keep both, qualified by stack.
        flat[`${other}.${key}`] = flat[key]!;
        delete flat[key];
        flat[`${stack}.${key}`] = value;
        continue;
      }
      seen.set(key, stack);
      flat[key] = value;
    }
  }
  return Object.fromEntries(Object.entries(flat).sort(([a], [b]) => a.localeCompare(b)));
}

/** Writes the file atomically (a reader never sees half of it); returns its path. */
export async function writeOutputsFile(root: string, file: OutputsFile): Promise<string> {
  const target = outputsPath(root, file.env);
  const tmp = `${target}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(file, null, 2)}\n`);
  await rename(tmp, target);
  return target;
}

export async function readOutputsFile(root: string, env: DeploymentEnv): Promise<OutputsFile> {
  const file = outputsPath(root, env);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new OpsError(`${path.basename(file)} not found: run \`npm run ops -- outputs --env ${env}\` after a deploy.`);
  }
  const parsed = JSON.parse(text) as OutputsFile;
  if (!parsed || typeof parsed !== 'object' || typeof parsed.outputs !== 'object') {
    throw new OpsError(`${file} is not an outputs file (no "outputs" map): write it again with \`ops outputs --env ${env}\`.`);
  }
  if (parsed.env !== env) throw new OpsError(`${file} describes env "${parsed.env}", not "${env}".`);
  return parsed;
}
