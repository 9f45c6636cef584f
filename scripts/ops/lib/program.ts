import { Command, Option } from 'commander';
import { ENVIRONMENTS } from '../../../src/contracts/aws.js';
import { OpsError, REPO_ROOT, resolveEnv, type OpsContext, type OpsIo } from './context.js';

/** Where the program runs: its streams, its environment variables and the repository root. */
export interface Runtime {
  io: OpsIo;
  vars: NodeJS.ProcessEnv;
  root: string;
}

export const processRuntime = (): Runtime => ({
  io: { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
  vars: process.env,
  root: REPO_ROOT,
});

export interface CommonOptions {
  env?: string;
  profile?: string;
  region?: string;
}

/** A subcommand with the options every operation takes: --env, --profile, --region. */
export function opsCommand(name: string, description: string): Command {
  return new Command(name)
    .description(description)
    .addOption(
      new Option('-e, --env <env>', `environment: ${ENVIRONMENTS.join(' | ')} (default: $CDK_ENV, else dev)`).choices(ENVIRONMENTS),
    )
    .option('--profile <name>', 'AWS named profile (passed to the SDK and to cdk)')
    .option('--region <region>', 'AWS region (default: AWS_REGION, AWS_DEFAULT_REGION or the profile’s)');
}

export function contextFrom(opts: CommonOptions, rt: Runtime): OpsContext {
  return {
    env: resolveEnv(opts.env, rt.vars),
    ...(opts.profile && { profile: opts.profile }),
    ...((opts.region ?? rt.vars.AWS_REGION ?? rt.vars.AWS_DEFAULT_REGION) && {
      region: opts.region ?? rt.vars.AWS_REGION ?? rt.vars.AWS_DEFAULT_REGION,
    }),
    root: rt.root,
    vars: rt.vars,
    io: rt.io,
  };
}

/**
 * The action of an operation: builds its context, runs it, and turns its result into the
 * process exit code (kept on `exitCodes` for the caller of the program).
 */
export function opsAction<O extends CommonOptions>(
  rt: Runtime,
  exit: { code: number },
  run: (ctx: OpsContext, opts: O, args: string[]) => Promise<number | undefined>,
) {
  return async (...received: unknown[]) => {
    // commander passes the positional arguments, then the options, then the command.
    const command = received[received.length - 1] as Command;
    const opts = command.opts<O>();
    const args = received.slice(0, -2).flatMap((a) => (Array.isArray(a) ? (a as string[]) : a === undefined ? [] : [String(a)]));
    const ctx = contextFrom(opts, rt);
    exit.code = (await run(ctx, opts, args)) ?? 0;
  };
}

export { OpsError };
