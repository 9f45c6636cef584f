import type { DeploymentEnv, LambdaName } from '../../../src/contracts/aws.js';
import { readOutputsFile, type OutputsFile } from './outputs.js';
import { runCdk } from './cdk.js';
import { OpsError, type OpsContext } from './context.js';

/**
 * What the operations commands know about the CDK app in infra/. Stack names are never
 * guessed: they come from the app itself (`cdk list --long --json`, offline).
 */

/**
 * The CloudFormation names of the environment's stacks: those `.aws-outputs-{env}.json` lists
 * (written by the last deploy or `outputs`), else what the CDK app defines (`cdk list`, a
 * synth of ~20 s).
 */
export async function stackNames(ctx: OpsContext): Promise<string[]> {
  const known = await readOutputsFile(ctx.root, ctx.env).catch(() => undefined);
  if (known && Object.keys(known.stacks).length > 0) return Object.keys(known.stacks);
  // Names need no function code: infra's placeholder-code mode skips the six esbuild runs
  // (infra/lib/config.ts CONTEXT_KEYS.bundling); an app without that key ignores it.
  const run = await runCdk(ctx, ['list', '--long', '--json', '--context', 'collections:bundling=inline'], { capture: true, quiet: true });
  if (run.code !== 0) throw new OpsError(`cdk list failed (exit ${run.code}): the CDK app in infra/ does not synthesize.`);
  return parseCdkList(run.stdout);
}

/** `cdk list --long --json` → stack names (`name`, the CloudFormation one, not the construct id). */
export function parseCdkList(stdout: string): string[] {
  const start = stdout.indexOf('[');
  if (start < 0) throw new OpsError('cdk list printed no stack list');
  const list = JSON.parse(stdout.slice(start)) as { id?: string; name?: string }[];
  return list.map((s) => s.name ?? s.id ?? '').filter(Boolean);
}

/** Output keys of the stack that the commands read (see infra/). */
export const OUTPUT_KEYS = {
  apiUrl: 'ApiUrl',
  userPoolId: 'UserPoolId',
  userPoolClientId: 'UserPoolClientId',
  bucket: 'BucketName',
  chatTable: 'ChatTableName',
  webUrl: 'WebUrl',
} as const;

/**
 * What `cdk destroy` leaves behind in an environment (infra/: `retainData` in cdk.context.json,
 * true in prod): RemovalPolicy.RETAIN / SNAPSHOT resources.
 */
export function RETAINED_IN(env: DeploymentEnv): string[] {
  return env === 'prod'
    ? [
        'the RDS instance: deletion protection is on, so turn it off first (docs/deploy.md), then CloudFormation deletes it after a final snapshot',
        'the S3 bucket of images (versioned) and its access-log bucket',
        'the DynamoDB chat table (deletion protection on)',
        'the Cognito user pool and its users',
        'the functions’ CloudWatch log groups',
      ]
    : [];
}

/**
 * A function's name: the stack names them `collections-{env}-{name}` (infra/lib/functions.ts);
 * an output `{Name}FunctionName` (e.g. ApiFunctionName, ImageProcessorFunctionName) wins.
 */
export function functionNameOf(outputs: OutputsFile, name: LambdaName): string {
  const pascal = name.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase());
  return outputs.outputs[`${pascal}FunctionName`] ?? `collections-${outputs.env}-${name}`;
}
