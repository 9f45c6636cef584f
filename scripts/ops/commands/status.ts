import { requireCredentials } from '../lib/aws.js';
import { describeStacks, stackOf } from '../lib/cloudformation.js';
import { line } from '../lib/context.js';
import { opsAction, opsCommand, type Runtime } from '../lib/program.js';
import { stackNames } from '../lib/stack.js';

/** `ops status`: each stack of the environment with its CloudFormation status and last change. */
export function statusCommand(rt: Runtime, exit: { code: number }) {
  return opsCommand('status', 'Show the CloudFormation status of the environment’s stacks').action(
    opsAction(rt, exit, async (ctx) => {
      const { region } = await requireCredentials(ctx);
      const names = await stackNames(ctx);
      const stacks = await describeStacks({ ...ctx, region }, names);
      const rows = [...stacks].map(([name, response]) => {
        const s = stackOf(response);
        const when = s?.LastUpdatedTime ?? s?.CreationTime;
        return [name, s?.StackStatus ?? 'NOT_DEPLOYED', when ? new Date(when).toISOString() : '', s?.StackStatusReason ?? ''];
      });
      line(ctx.io.stdout, formatTable(['stack', 'status', 'last change', 'reason'], rows));
      const bad = rows.filter(([, status]) => /FAILED|ROLLBACK/.test(status!) && status !== 'UPDATE_ROLLBACK_COMPLETE');
      return bad.length ? 1 : 0;
    }),
  );
}

/** A plain-text table, columns padded to their widest cell. */
export function formatTable(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [fmt(head), fmt(widths.map((w) => '-'.repeat(w))), ...rows.map(fmt)].join('\n');
}
