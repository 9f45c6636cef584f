import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { requireCredentials } from '../lib/aws.js';
import { alarmGuard } from '../lib/alarm-guard.js';
import { buildWebApp, runCdk } from '../lib/cdk.js';
import { line } from '../lib/context.js';
import { outputsFromCdkOutputsFile, writeOutputsFile } from '../lib/outputs.js';
import { opsAction, opsCommand, type CommonOptions, type Runtime } from '../lib/program.js';
import { confirm } from '../lib/prompt.js';

interface DeployOptions extends CommonOptions {
  yes?: boolean;
  alarmEmail?: string;
  withoutAlarmEmail?: boolean;
}

/**
 * `ops deploy`: builds the web app, shows `cdk diff`, asks y/N (unless --yes), deploys every
 * stack of the environment, and writes `.aws-outputs-{env}.json` from the deployed outputs.
 */
export function deployCommand(rt: Runtime, exit: { code: number }) {
  return opsCommand('deploy', 'Show the diff, ask, deploy the environment, and write .aws-outputs-{env}.json')
    .option('-y, --yes', 'deploy without asking (CI); the diff is still shown')
    .option('--alarm-email <email>', 'subscribe this address to the alarms (same as -- --context alarmEmail=…)')
    .option('--without-alarm-email', 'deploy an environment with alarms even though nobody is subscribed to them')
    .argument('[cdk-args...]', 'more arguments for cdk deploy (after --), e.g. -- --hotswap')
    .action(
      opsAction<DeployOptions>(rt, exit, async (ctx, opts, given) => {
        const args = opts.alarmEmail ? [...given, '--context', `alarmEmail=${opts.alarmEmail}`] : given;
        // Alarms that notify nobody are found out when it is too late: refuse before anything runs.
        const unheard = alarmGuard(ctx, args);
        if (unheard && !opts.withoutAlarmEmail) {
          line(
            ctx.io.stderr,
            `${unheard}. Or pass --alarm-email you@example.com, or --without-alarm-email to deploy anyway. Nothing was deployed.`,
          );
          return 1;
        }
        const { region } = await requireCredentials(ctx);
        const here = { ...ctx, region };
        const built = await buildWebApp(ctx);
        if (built !== 0) {
          line(ctx.io.stderr, `The web app did not build (exit ${built}); nothing was deployed.`);
          return built;
        }
        line(ctx.io.stderr, `Changes a deploy of ${ctx.env} (${region}) would make:`);
        const diff = await runCdk(here, ['diff', '--all', ...(opts.alarmEmail ? ['--context', `alarmEmail=${opts.alarmEmail}`] : [])]);
        if (diff.code !== 0) {
          line(ctx.io.stderr, `cdk diff failed (exit ${diff.code}); nothing was deployed.`);
          return diff.code;
        }
        if (!opts.yes) {
          const go = await confirm(ctx.io, `Deploy these changes to ${ctx.env} (${region})?`);
          if (!go) {
            line(ctx.io.stderr, 'Not deployed. (Pass --yes to deploy without the question.)');
            return 1;
          }
        }
        const dir = await mkdtemp(path.join(tmpdir(), 'collections-deploy-'));
        try {
          const outputsFile = path.join(dir, 'outputs.json');
          // The diff was shown and approved: the CLI must not ask again (it would read no stdin).
          const deploy = await runCdk(here, ['deploy', '--all', '--require-approval', 'never', '--outputs-file', outputsFile, ...args]);
          if (deploy.code !== 0) {
            line(
              ctx.io.stderr,
              `cdk deploy failed (exit ${deploy.code}). CloudFormation rolls a failed update back by itself; see \`npm run ops -- status --env ${ctx.env}\` and docs/deploy.md, "Rolling back".`,
            );
            return deploy.code;
          }
          const cdkOutputs = JSON.parse(await readFile(outputsFile, 'utf8').catch(() => '{}')) as Record<string, Record<string, unknown>>;
          const written = await writeOutputsFile(ctx.root, outputsFromCdkOutputsFile(ctx.env, cdkOutputs, { region }));
          line(ctx.io.stderr, `Deployed ${ctx.env}. Outputs: ${path.relative(ctx.root, written)}`);
          // Migrations already ran: the stack's migration custom resource invokes the migrate function.
          line(
            ctx.io.stderr,
            `Next (first deploy): npm run ops -- secrets-populate --env ${ctx.env}; npm run ops -- users-create --env ${ctx.env} --email …; npm run ops -- test-infra --env ${ctx.env}`,
          );
          return 0;
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      }),
    );
}
