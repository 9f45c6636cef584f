import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { detectCredentials } from '../lib/aws.js';
import { fileTimestamp, line, type OpsContext } from '../lib/context.js';
import { INFRA_CHECKS, accountOf, runChecks, type CheckState } from '../lib/infra-checks.js';
import { outputsPath, readOutputsFile, type OutputsFile } from '../lib/outputs.js';
import { opsAction, opsCommand, type CommonOptions, type Runtime } from '../lib/program.js';
import { STATUS_MARK, renderReport, summarizeResults, verdict, type CheckResult, type InfraReport } from '../lib/report.js';

interface TestInfraOptions extends CommonOptions {
  only?: string;
  e2eTimeout?: string;
  reportDir?: string;
}

/**
 * `ops test-infra`: the live validation of a deployed environment against
 * `.aws-outputs-{env}.json`. Writes `reports/infra-test-{env}-{timestamp}.md` every time. Without
 * AWS credentials nothing runs: every check is reported as skipped and the exit code is 0.
 */
export function testInfraCommand(rt: Runtime, exit: { code: number }) {
  return opsCommand('test-infra', 'Validate a deployed environment live; writes reports/infra-test-{env}-{timestamp}.md')
    .option('--only <ids>', `comma-separated check ids: ${INFRA_CHECKS.map((c) => c.id).join(', ')}`)
    .option('--e2e-timeout <seconds>', 'how long an upload may take to become searchable', '30')
    .option('--report-dir <dir>', 'where the report goes', 'reports')
    .action(opsAction<TestInfraOptions>(rt, exit, async (ctx, opts) => runTestInfra(ctx, opts)));
}

export async function runTestInfra(ctx: OpsContext, opts: TestInfraOptions): Promise<number> {
  const startedAt = new Date();
  const only = opts.only
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = only?.filter((id) => !INFRA_CHECKS.some((c) => c.id === id)) ?? [];
  if (unknown.length) {
    line(ctx.io.stderr, `Unknown check(s) ${unknown.join(', ')}; known: ${INFRA_CHECKS.map((c) => c.id).join(', ')}`);
    return 2;
  }
  const checks = only ? INFRA_CHECKS.filter((c) => only.includes(c.id)) : INFRA_CHECKS;
  const report: InfraReport = {
    env: ctx.env,
    startedAt,
    finishedAt: startedAt,
    outputsFile: path.basename(outputsPath(ctx.root, ctx.env)),
    gitSha: await gitSha(ctx.root),
    results: [],
    ...(ctx.region && { region: ctx.region }),
  };
  const skipAll = (reason: string): CheckResult[] =>
    checks.map((c) => ({ id: c.id, title: c.title, status: 'skip', detail: reason, durationMs: 0 }));

  const credentials = await detectCredentials(ctx);
  let outputs: OutputsFile | undefined;
  // Without credentials there is nothing to test here (exit 0); with them, a missing outputs
  // file or region is a mistake to fix (exit 1). The report is written either way.
  let setupProblem = false;
  if (!credentials.ok) {
    report.skippedReason = `no AWS credentials (${credentials.reason})`;
    report.results = skipAll('no AWS credentials');
    line(ctx.io.stderr, `test-infra ${ctx.env}: skipped: no AWS credentials (${credentials.reason}).`);
  } else {
    try {
      outputs = await readOutputsFile(ctx.root, ctx.env);
    } catch (err) {
      report.skippedReason = (err as Error).message;
      report.results = skipAll(`no ${report.outputsFile}`);
      setupProblem = true;
      line(ctx.io.stderr, `test-infra ${ctx.env}: skipped: ${(err as Error).message}`);
    }
  }
  if (credentials.ok && outputs) {
    const region = ctx.region ?? outputs.region ?? credentials.region;
    if (!region) {
      report.skippedReason = 'no AWS region (pass --region or set AWS_REGION)';
      report.results = skipAll('no AWS region');
      setupProblem = true;
    } else {
      report.region = region;
      if (outputs.account) report.account = outputs.account;
      const seconds = Number(opts.e2eTimeout ?? 30);
      const state: CheckState = {
        ctx,
        region,
        outputs,
        functions: new Map(),
        cleanups: [],
        e2eTimeoutSeconds: Number.isFinite(seconds) && seconds > 0 ? seconds : 30,
      };
      line(ctx.io.stderr, `test-infra ${ctx.env} (${region}): ${checks.length} checks`);
      report.results = await runChecks(checks, state, (r) =>
        line(ctx.io.stderr, `  ${STATUS_MARK[r.status]}  ${r.title} (${(r.durationMs / 1000).toFixed(1)} s): ${r.detail}`),
      );
      if (!report.account && state.functions.size) report.account = accountOf(state);
    }
  }
  report.finishedAt = new Date();
  const dir = path.resolve(ctx.root, opts.reportDir ?? 'reports');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `infra-test-${ctx.env}-${fileTimestamp(startedAt)}.md`);
  await writeFile(file, renderReport(report));
  const s = summarizeResults(report.results);
  const result = verdict(report);
  line(
    ctx.io.stderr,
    `${result === 'skipped' && report.skippedReason ? `skipped: ${report.skippedReason}` : result}: ${s.pass} passed, ${s.fail} failed, ${s.skip} skipped`,
  );
  line(ctx.io.stdout, path.relative(ctx.root, file));
  return result === 'failed' || setupProblem ? 1 : 0;
}

async function gitSha(root: string): Promise<string | undefined> {
  try {
    const { stdout } = await promisify(execFile)('git', ['rev-parse', '--short', 'HEAD'], { cwd: root });
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}
