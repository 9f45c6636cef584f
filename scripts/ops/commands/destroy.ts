import { rm } from 'node:fs/promises';
import path from 'node:path';
import { requireCredentials } from '../lib/aws.js';
import { runCdk } from '../lib/cdk.js';
import { line } from '../lib/context.js';
import { outputsPath } from '../lib/outputs.js';
import { opsAction, opsCommand, type Runtime } from '../lib/program.js';
import { confirmTyped } from '../lib/prompt.js';
import { RETAINED_IN } from '../lib/stack.js';

/**
 * `ops destroy`: deletes every stack of the environment after the user types its name.
 * What the stack RETAINs (prod data) survives; docs/deploy.md says how to delete it.
 */
export function destroyCommand(rt: Runtime, exit: { code: number }) {
  return opsCommand('destroy', 'Delete the environment’s stacks (asks you to type the environment name)')
    .argument('[cdk-args...]', 'more arguments for cdk destroy (after --)')
    .action(
      opsAction(rt, exit, async (ctx, _opts, args) => {
        const { region } = await requireCredentials(ctx);
        line(ctx.io.stderr, `This deletes every stack of ${ctx.env} in ${region}: the API, functions, rules, queues and alarms.`);
        const retained = RETAINED_IN(ctx.env);
        if (retained.length) {
          line(ctx.io.stderr, `Kept (RETAIN), delete by hand if you mean it (docs/deploy.md, "Tearing down"):`);
          for (const r of retained) line(ctx.io.stderr, `  - ${r}`);
        } else {
          line(
            ctx.io.stderr,
            `In ${ctx.env} nothing is retained: the database, the bucket and its images, the chat table and the users are deleted too.`,
          );
        }
        const sure = await confirmTyped(ctx.io, `Destroy ${ctx.env}?`, ctx.env);
        if (!sure) {
          line(ctx.io.stderr, 'Not destroyed.');
          return 1;
        }
        const { code } = await runCdk({ ...ctx, region }, ['destroy', '--all', '--force', ...args]);
        if (code === 0) {
          await rm(outputsPath(ctx.root, ctx.env), { force: true });
          line(ctx.io.stderr, `Destroyed ${ctx.env}; removed ${path.basename(outputsPath(ctx.root, ctx.env))}.`);
        }
        return code;
      }),
    );
}
