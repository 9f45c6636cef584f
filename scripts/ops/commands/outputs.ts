import path from 'node:path';
import { requireCredentials } from '../lib/aws.js';
import { describeStacks } from '../lib/cloudformation.js';
import { OpsError, line } from '../lib/context.js';
import { outputsFromDescribeStacks, writeOutputsFile } from '../lib/outputs.js';
import { opsAction, opsCommand, type Runtime } from '../lib/program.js';
import { stackNames } from '../lib/stack.js';
import type { DescribeStacksResponse } from '../lib/sdk.js';

/** `ops outputs`: writes `.aws-outputs-{env}.json` from the stacks' CloudFormation outputs. */
export function outputsCommand(rt: Runtime, exit: { code: number }) {
  return opsCommand('outputs', 'Write .aws-outputs-{env}.json from the stacks’ CloudFormation outputs').action(
    opsAction(rt, exit, async (ctx) => {
      const { region } = await requireCredentials(ctx);
      const names = await stackNames(ctx);
      const found = await describeStacks({ ...ctx, region }, names);
      const deployed = [...found.values()].filter((r): r is DescribeStacksResponse => r !== undefined);
      const missing = [...found].filter(([, r]) => !r).map(([n]) => n);
      if (deployed.length === 0) throw new OpsError(`${ctx.env} is not deployed in ${region} (no stack ${names.join(', ')}).`);
      const file = outputsFromDescribeStacks(ctx.env, deployed);
      file.region ??= region;
      const written = await writeOutputsFile(ctx.root, file);
      // Outputs are names, ids and URLs, never secrets (the database password stays in Secrets Manager).
      for (const [key, value] of Object.entries(file.outputs)) line(ctx.io.stderr, `  ${key} = ${value}`);
      if (missing.length) line(ctx.io.stderr, `Not deployed: ${missing.join(', ')}`);
      line(ctx.io.stdout, path.relative(ctx.root, written));
      return missing.length ? 1 : 0;
    }),
  );
}
