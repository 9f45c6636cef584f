import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { OpsError, type OpsContext } from './context.js';

/**
 * The CDK CLI, run in infra/ (where cdk.json is) with `--context env=X` (and CDK_ENV=X) so the
 * app builds the stacks of one environment. `--profile` is passed through; `--region` becomes
 * AWS_REGION / AWS_DEFAULT_REGION of the child, which is where the CDK CLI and the app read it.
 *
 * The command is `OPS_CDK` when set (e.g. "cdk" for a global install), else the project's own
 * `node_modules/.bin/cdk`, else `npx cdk`.
 */
export function cdkCommand(ctx: Pick<OpsContext, 'root' | 'vars'>): string[] {
  const custom = ctx.vars.OPS_CDK?.trim();
  if (custom) return custom.split(/\s+/);
  const local = path.join(ctx.root, 'node_modules', '.bin', process.platform === 'win32' ? 'cdk.cmd' : 'cdk');
  return existsSync(local) ? [local] : ['npx', 'cdk'];
}

export function infraDir(ctx: Pick<OpsContext, 'root'>): string {
  return path.join(ctx.root, 'infra');
}

/** The arguments after `cdk`: the subcommand's, then the environment and the profile. */
export function cdkArgs(ctx: Pick<OpsContext, 'env' | 'profile'>, args: readonly string[]): string[] {
  return [...args, '--context', `env=${ctx.env}`, ...(ctx.profile ? ['--profile', ctx.profile] : [])];
}

export function cdkEnv(ctx: Pick<OpsContext, 'env' | 'region' | 'vars'>): NodeJS.ProcessEnv {
  return {
    ...ctx.vars,
    CDK_ENV: ctx.env,
    ...(ctx.region && { AWS_REGION: ctx.region, AWS_DEFAULT_REGION: ctx.region }),
  };
}

export interface CdkRun {
  code: number;
  /** What the CLI printed on stdout, when `capture` was asked for (it is also shown unless `quiet`). */
  stdout: string;
}

/** Runs `cdk <args>`, its output going to the command's streams; resolves with the exit code. */
export async function runCdk(ctx: OpsContext, args: readonly string[], opts: { capture?: boolean; quiet?: boolean } = {}): Promise<CdkRun> {
  const dir = infraDir(ctx);
  if (!existsSync(path.join(dir, 'cdk.json'))) {
    throw new OpsError(`No CDK app at ${dir} (infra/cdk.json is missing).`);
  }
  const [cmd, ...pre] = cdkCommand(ctx);
  const argv = [...pre, ...cdkArgs(ctx, args)];
  ctx.io.stderr.write(`$ (cd infra && ${[cmd!.includes(path.sep) ? 'cdk' : cmd, ...argv].join(' ')})\n`);
  return new Promise<CdkRun>((resolve, reject) => {
    const child = spawn(cmd!, argv, { cwd: dir, env: cdkEnv(ctx), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (opts.capture) stdout += chunk.toString();
      if (!opts.quiet) ctx.io.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => ctx.io.stderr.write(chunk));
    child.on('error', (err) => reject(new OpsError(`Could not start the CDK CLI (${cmd}): ${err.message}`)));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout }));
  });
}

/**
 * Builds the web app (`npm run build` → web/dist), which the stack uploads to its bucket: a
 * deploy must ship the app that matches the API it deploys. `OPS_WEB_BUILD` replaces the
 * command (tests use a stand-in). Output goes to stderr, so stdout stays the CDK's.
 */
export async function buildWebApp(ctx: OpsContext): Promise<number> {
  const custom = ctx.vars.OPS_WEB_BUILD?.trim();
  const [cmd, ...argv] = custom ? custom.split(/\s+/) : ['npm', 'run', 'build'];
  ctx.io.stderr.write(`$ ${[cmd, ...argv].join(' ')}\n`);
  return new Promise<number>((resolve, reject) => {
    const child = spawn(cmd!, argv, { cwd: ctx.root, env: ctx.vars, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => ctx.io.stderr.write(chunk));
    child.stderr.on('data', (chunk: Buffer) => ctx.io.stderr.write(chunk));
    child.on('error', (err) => reject(new OpsError(`Could not build the web app (${cmd}): ${err.message}`)));
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}
