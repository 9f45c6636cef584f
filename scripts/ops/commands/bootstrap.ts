import { requireCredentials } from '../lib/aws.js';
import { runCdk } from '../lib/cdk.js';
import { line } from '../lib/context.js';
import { opsAction, opsCommand, type Runtime } from '../lib/program.js';

/** `ops bootstrap`: `cdk bootstrap` once per account and region (the CDK's S3 bucket, ECR repo and roles). */
export function bootstrapCommand(rt: Runtime, exit: { code: number }) {
  return opsCommand('bootstrap', 'Prepare the account and region for CDK deployments (cdk bootstrap; once per account/region)')
    .argument('[cdk-args...]', 'more arguments for cdk bootstrap (after --)')
    .action(
      opsAction(rt, exit, async (ctx, _opts, args) => {
        const { region } = await requireCredentials(ctx);
        line(ctx.io.stderr, `Bootstrapping the CDK in ${region} for ${ctx.env}…`);
        const { code } = await runCdk({ ...ctx, region }, ['bootstrap', ...args]);
        return code;
      }),
    );
}
