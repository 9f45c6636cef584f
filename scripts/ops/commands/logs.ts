import { LAMBDA_FUNCTIONS, type LambdaName } from '../../../src/contracts/aws.js';
import { clientConfig, requireCredentials } from '../lib/aws.js';
import { OpsError, line } from '../lib/context.js';
import { readOutputsFile, type OutputsFile } from '../lib/outputs.js';
import { opsAction, opsCommand, type CommonOptions, type Runtime } from '../lib/program.js';
import { loadSdk, type FilterLogEventsResponse, type FilteredLogEvent } from '../lib/sdk.js';
import { functionNameOf } from '../lib/stack.js';

interface LogsOptions extends CommonOptions {
  since?: string;
  follow?: boolean;
  filter?: string;
  logGroup?: string;
}

const NAMES = Object.keys(LAMBDA_FUNCTIONS) as LambdaName[];

/** `10m`, `2h`, `1d`, `30s` → milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)$/.exec(text.trim());
  if (!m) throw new OpsError(`--since takes a duration like 30s, 10m, 2h or 1d (got "${text}")`);
  return Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
}

/** The log group of a function: the stack gives each one its own (default name /aws/lambda/<function>). */
export function logGroupOf(outputs: OutputsFile | undefined, env: OutputsFile['env'], name: LambdaName): string {
  const pascal = name.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase());
  const explicit = outputs?.outputs[`${pascal}LogGroupName`];
  if (explicit) return explicit;
  return `/aws/lambda/${outputs ? functionNameOf(outputs, name) : `collections-${env}-${name}`}`;
}

export function formatLogEvent(e: FilteredLogEvent): string {
  const time = e.timestamp ? new Date(e.timestamp).toISOString() : '';
  return `${time} ${(e.message ?? '').replace(/\n$/, '')}`;
}

/**
 * `ops logs <function>`: a function's CloudWatch log events since --since (default 10m), and
 * with --follow new ones every 2 s until Ctrl-C. --filter takes a CloudWatch filter pattern
 * (e.g. '{ $.level = "ERROR" }' for the JSON log lines, or a plain word).
 */
export function logsCommand(rt: Runtime, exit: { code: number }) {
  return opsCommand('logs', 'Print (and follow) a function’s CloudWatch logs')
    .argument('<function>', `one of ${NAMES.join(', ')}`)
    .option('--since <duration>', 'start this long ago: 30s, 10m, 2h, 1d', '10m')
    .option('-f, --follow', 'keep printing new events (Ctrl-C stops)')
    .option('--filter <pattern>', 'CloudWatch Logs filter pattern')
    .option('--log-group <name>', 'read this log group instead')
    .action(
      opsAction<LogsOptions>(rt, exit, async (ctx, opts, [fn]) => {
        if (!NAMES.includes(fn as LambdaName)) throw new OpsError(`Unknown function "${fn}": one of ${NAMES.join(', ')}`);
        const outputs = await readOutputsFile(ctx.root, ctx.env).catch(() => undefined);
        const logGroupName = opts.logGroup ?? logGroupOf(outputs, ctx.env, fn as LambdaName);
        const { region } = await requireCredentials({ ...ctx, region: ctx.region ?? outputs?.region });
        const sdk = await loadSdk('logs');
        const client = new sdk.CloudWatchLogsClient(clientConfig({ ...ctx, region }));
        let startTime = Date.now() - parseDuration(opts.since ?? '10m');
        const seen = new Set<string>();
        line(ctx.io.stderr, `${logGroupName} (${region}) since ${new Date(startTime).toISOString()}${opts.follow ? ', following' : ''}`);
        try {
          for (;;) {
            let nextToken: string | undefined;
            let newest = startTime;
            do {
              const page = (await client.send(
                new sdk.FilterLogEventsCommand({
                  logGroupName,
                  startTime,
                  ...(opts.filter && { filterPattern: opts.filter }),
                  ...(nextToken && { nextToken }),
                }),
              )) as FilterLogEventsResponse;
              for (const e of page.events ?? []) {
                if (e.eventId && seen.has(e.eventId)) continue;
                if (e.eventId) seen.add(e.eventId);
                newest = Math.max(newest, e.timestamp ?? 0);
                line(ctx.io.stdout, formatLogEvent(e));
              }
              nextToken = page.nextToken;
            } while (nextToken);
            if (!opts.follow) return 0;
            // Events can arrive late and out of order: look back a little, deduplicated by id.
            startTime = Math.max(startTime, newest - 5000);
            if (seen.size > 50_000) seen.clear();
            await new Promise((r) => setTimeout(r, 2000));
          }
        } finally {
          client.destroy();
        }
      }),
    );
}
