import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Option } from 'commander';
import { bundleFunction } from '../../../infra/lib/bundle.js';
import { LAMBDA_FUNCTIONS, type LambdaName } from '../../../src/contracts/aws.js';
import { clientConfig, requireCredentials } from '../lib/aws.js';
import { OpsError, line, type OpsContext } from '../lib/context.js';
import { readOutputsFile } from '../lib/outputs.js';
import { opsAction, opsCommand, type CommonOptions, type Runtime } from '../lib/program.js';
import { loadSdk, type FunctionConfiguration, type LambdaModule, type SdkClient } from '../lib/sdk.js';
import { zipDirectory } from '../lib/zip.js';

interface LambdaDeployOptions extends CommonOptions {
  function: LambdaName;
  zip?: string;
  timeout?: string;
}

const NAMES = Object.keys(LAMBDA_FUNCTIONS) as LambdaName[];
/** Lambda refuses larger zips sent in the request (above it, code must come from S3: deploy). */
export const MAX_DIRECT_ZIP_BYTES = 50 * 1024 * 1024;

/** The output key of a function's name, as collections-stack.ts writes it: api → ApiFunctionName. */
export const functionOutputKey = (name: LambdaName) =>
  `${name.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase())}FunctionName`;

/**
 * Builds a function exactly as the stack does (infra/lib/bundle.ts, with infra/native's
 * linux-arm64 sharp) and zips it deterministically. Returns the zip bytes.
 */
export async function buildFunctionZip(
  root: string,
  name: LambdaName,
  nativesDir = path.join(root, 'infra', 'native', 'node_modules'),
): Promise<Buffer> {
  const dir = await mkdtemp(path.join(tmpdir(), `collections-${name}-`));
  try {
    const outdir = path.join(dir, 'bundle');
    try {
      bundleFunction(root, LAMBDA_FUNCTIONS[name].entry, outdir, { dir: nativesDir });
    } catch (err) {
      const message = (err as Error).message;
      if (/linux-arm64 is missing/.test(message) || !existsSync(nativesDir)) {
        throw new OpsError(
          message.includes('npm ci --prefix infra/native') ? message : `${message}\nInstall it once with: npm ci --prefix infra/native`,
        );
      }
      throw err;
    }
    return zipDirectory(outdir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * `ops lambda-deploy --function api`: a code-only update of one function, in seconds instead of
 * a deploy's minutes. It bypasses CloudFormation: the stack's template still names the old
 * asset, so the function drifts until the next `ops deploy` (which puts the stack's code back, or
 * this code if unchanged), and no migration runs (use db-migrate first when the schema changed).
 */
export function lambdaDeployCommand(rt: Runtime, exit: { code: number }) {
  return opsCommand(
    'lambda-deploy',
    'Code-only update of one function (bypasses CloudFormation: drift until the next deploy; no migrations)',
  )
    .addOption(new Option('--function <name>', 'the function').choices(NAMES).makeOptionMandatory())
    .option('--zip <file>', 'upload this zip instead of building one')
    .option('--timeout <seconds>', 'how long to wait for the update to finish', '120')
    .action(opsAction<LambdaDeployOptions>(rt, exit, async (ctx, opts) => runLambdaDeploy(ctx, opts)));
}

export async function runLambdaDeploy(ctx: OpsContext, opts: LambdaDeployOptions, pollMs = 1000): Promise<number> {
  const outputs = await readOutputsFile(ctx.root, ctx.env);
  const key = functionOutputKey(opts.function);
  const functionName = outputs.outputs[key];
  if (!functionName) {
    // Never guess a name here: updating the wrong function's code is worse than refusing.
    throw new OpsError(
      `The outputs of ${ctx.env} have no ${key}: deploy the stack first (npm run ops -- deploy --env ${ctx.env}), or write the outputs again (ops outputs).`,
    );
  }
  const { region } = await requireCredentials({ ...ctx, region: ctx.region ?? outputs.region });

  const t0 = Date.now();
  let zip: Buffer;
  if (opts.zip) {
    zip = await readFile(path.resolve(ctx.root, opts.zip));
  } else {
    line(ctx.io.stderr, `Building ${opts.function} (${LAMBDA_FUNCTIONS[opts.function].entry}) as the stack does…`);
    zip = await buildFunctionZip(ctx.root, opts.function);
  }
  const sha = createHash('sha256').update(zip).digest('base64');
  line(ctx.io.stderr, `${(zip.length / 1024 / 1024).toFixed(2)} MB zip (sha256 ${sha}) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (zip.length > MAX_DIRECT_ZIP_BYTES) {
    throw new OpsError(
      `The zip is ${(zip.length / 1024 / 1024).toFixed(1)} MB, above Lambda's 50 MB for direct uploads: use npm run ops -- deploy --env ${ctx.env}.`,
    );
  }

  const sdk = await loadSdk('lambda');
  const client = new sdk.LambdaClient(clientConfig({ ...ctx, region }));
  try {
    line(ctx.io.stderr, `UpdateFunctionCode ${functionName} (${region}); this bypasses CloudFormation until the next deploy.`);
    await client.send(new sdk.UpdateFunctionCodeCommand({ FunctionName: functionName, ZipFile: zip }));
    const seconds = Number(opts.timeout ?? 120);
    const done = await waitForUpdate(sdk, client, functionName, (Number.isFinite(seconds) && seconds > 0 ? seconds : 120) * 1000, pollMs);
    if (done.LastUpdateStatus !== 'Successful') {
      throw new OpsError(
        `The update of ${functionName} ended ${done.LastUpdateStatus ?? 'unknown'}: ${done.LastUpdateStatusReason ?? 'no reason given'}`,
      );
    }
    if (done.CodeSha256 && done.CodeSha256 !== sha) {
      line(
        ctx.io.stderr,
        `warning: Lambda reports CodeSha256 ${done.CodeSha256}, the zip sent was ${sha} (another update at the same time?)`,
      );
    }
    line(
      ctx.io.stdout,
      `${functionName}: CodeSha256 ${done.CodeSha256 ?? '?'}, ${done.CodeSize ?? zip.length} bytes, updated in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    return 0;
  } finally {
    client.destroy();
  }
}

/** Polls GetFunctionConfiguration until LastUpdateStatus leaves InProgress (or the time is up). */
async function waitForUpdate(
  sdk: LambdaModule,
  client: SdkClient,
  functionName: string,
  timeoutMs: number,
  pollMs: number,
): Promise<FunctionConfiguration> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const config = (await client.send(new sdk.GetFunctionConfigurationCommand({ FunctionName: functionName }))) as FunctionConfiguration;
    if (config.LastUpdateStatus && config.LastUpdateStatus !== 'InProgress') return config;
    if (Date.now() > deadline)
      throw new OpsError(
        `${functionName} is still updating after ${Math.round(timeoutMs / 1000)} s: check it with aws lambda get-function-configuration.`,
      );
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
