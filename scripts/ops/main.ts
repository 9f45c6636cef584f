#!/usr/bin/env node
/**
 * Operations commands for the AWS home: `npm run ops -- <command> --env dev|test|prod`.
 * Every command takes --env (default $CDK_ENV, else dev), --profile and --region; see
 * docs/deploy.md for the whole procedure.
 */
import { pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { bootstrapCommand } from './commands/bootstrap.js';
import { dbConnectCommand } from './commands/db-connect.js';
import { dbMigrateCommand } from './commands/db-migrate.js';
import { dbSeedGoldenCommand } from './commands/db-seed-golden.js';
import { deployCommand } from './commands/deploy.js';
import { destroyCommand } from './commands/destroy.js';
import { diffCommand } from './commands/diff.js';
import { lambdaDeployCommand } from './commands/lambda-deploy.js';
import { logsCommand } from './commands/logs.js';
import { outputsCommand } from './commands/outputs.js';
import { secretsExportCommand, secretsPopulateCommand } from './commands/secrets.js';
import { statusCommand } from './commands/status.js';
import { synthCommand } from './commands/synth.js';
import { testApiCommand } from './commands/test-api.js';
import { testInfraCommand } from './commands/test-infra.js';
import { usersCreateCommand } from './commands/users-create.js';
import { OpsError } from './lib/context.js';
import { processRuntime, type Runtime } from './lib/program.js';

export const COMMANDS = [
  bootstrapCommand,
  synthCommand,
  diffCommand,
  deployCommand,
  destroyCommand,
  statusCommand,
  outputsCommand,
  secretsPopulateCommand,
  secretsExportCommand,
  dbConnectCommand,
  dbMigrateCommand,
  dbSeedGoldenCommand,
  usersCreateCommand,
  lambdaDeployCommand,
  logsCommand,
  testInfraCommand,
  testApiCommand,
] as const;

export function buildProgram(rt: Runtime, exit: { code: number }): Command {
  const program = new Command('ops')
    .description('Collections operations on AWS: deploy, secrets, users, logs, live tests (docs/deploy.md)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => rt.io.stdout.write(s),
      writeErr: (s) => rt.io.stderr.write(s),
    })
    .showHelpAfterError('(add --help for usage)');
  for (const make of COMMANDS) {
    program.addCommand(
      make(rt, exit)
        .exitOverride()
        .configureOutput({ writeOut: (s) => rt.io.stdout.write(s), writeErr: (s) => rt.io.stderr.write(s) }),
    );
  }
  return program;
}

/** Runs the program on `argv` (without node and the script); resolves with the exit code. */
export async function runOps(argv: readonly string[], rt: Runtime = processRuntime()): Promise<number> {
  const exit = { code: 0 };
  const program = buildProgram(rt, exit);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exit.code;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof OpsError) {
      rt.io.stderr.write(`ops: ${err.message}\n`);
      return err.exitCode;
    }
    const e = err as Error & { name?: string; $metadata?: { httpStatusCode?: number } };
    const aws = e.$metadata ? ` (AWS ${e.name}${e.$metadata.httpStatusCode ? `, HTTP ${e.$metadata.httpStatusCode}` : ''})` : '';
    rt.io.stderr.write(`ops: ${e.message ?? String(err)}${aws}\n`);
    if (rt.vars.OPS_DEBUG) rt.io.stderr.write(`${e.stack}\n`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // The SDK warns on every run that releases from 2027 need Node 22; docs/deploy.md says so once.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  runOps(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
