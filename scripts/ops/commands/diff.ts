import { requireCredentials } from '../lib/aws.js';
import { runCdk } from '../lib/cdk.js';
import { opsAction, opsCommand, type Runtime } from '../lib/program.js';

/** `ops diff`: what a deploy of the environment would change (cdk diff of all its stacks). */
export function diffCommand(rt: Runtime, exit: { code: number }) {
  return opsCommand('diff', 'Show what a deploy would change (cdk diff)')
    .argument('[cdk-args...]', 'more arguments for cdk diff (after --)')
    .action(
      opsAction(rt, exit, async (ctx, _opts, args) => {
        const { region } = await requireCredentials(ctx);
        return (await runCdk({ ...ctx, region }, ['diff', '--all', ...args])).code;
      }),
    );
}
