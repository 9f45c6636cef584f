import { clientConfig, requireCredentials } from '../lib/aws.js';
import { OpsError, line } from '../lib/context.js';
import { describeMigrateAnswer, migrateUpdateEvent, type MigrateAnswer } from '../lib/migrate-event.js';
import { readOutputsFile } from '../lib/outputs.js';
import { opsAction, opsCommand, type CommonOptions, type Runtime } from '../lib/program.js';
import { loadSdk, type InvokeResponse } from '../lib/sdk.js';
import { functionNameOf } from '../lib/stack.js';

/**
 * `ops db-migrate`: runs the SQL migrations now by invoking the migrate function with the event
 * a deployment sends it (deploys already do this; use it after a failed or manual change).
 */
export function dbMigrateCommand(rt: Runtime, exit: { code: number }) {
  return opsCommand(
    'db-migrate',
    'Apply pending SQL migrations and enable pgvector (invokes the migrate function; deploys do it too)',
  ).action(
    opsAction<CommonOptions>(rt, exit, async (ctx) => {
      const outputs = await readOutputsFile(ctx.root, ctx.env);
      const { region } = await requireCredentials({ ...ctx, region: ctx.region ?? outputs.region });
      const fn = functionNameOf(outputs, 'migrate');
      const sdk = await loadSdk('lambda');
      const client = new sdk.LambdaClient(clientConfig({ ...ctx, region }));
      try {
        line(ctx.io.stderr, `Invoking ${fn} (${region})…`);
        const t0 = Date.now();
        const res = (await client.send(
          new sdk.InvokeCommand({ FunctionName: fn, Payload: new TextEncoder().encode(JSON.stringify(migrateUpdateEvent(ctx.env))) }),
        )) as InvokeResponse;
        const text = res.Payload ? new TextDecoder().decode(res.Payload) : '';
        if (res.FunctionError) {
          throw new OpsError(
            `${fn} failed (${res.FunctionError}): ${text.slice(0, 2000)}\nSee: npm run ops -- logs migrate --env ${ctx.env}`,
          );
        }
        line(
          ctx.io.stdout,
          `${ctx.env}: ${describeMigrateAnswer(JSON.parse(text || '{}') as MigrateAnswer)} (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
        );
        return 0;
      } finally {
        client.destroy();
      }
    }),
  );
}
