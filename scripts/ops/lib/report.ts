/**
 * The report of `ops test-infra`: `reports/infra-test-{env}-{timestamp}.md`, one row per check.
 * A check passes, fails, or is skipped (with the reason: no credentials, a missing output, a
 * check it depends on that failed).
 */
export type CheckStatus = 'pass' | 'fail' | 'skip';

export interface CheckResult {
  id: string;
  title: string;
  status: CheckStatus;
  /** One line: what was seen (never a secret value). */
  detail: string;
  durationMs: number;
  /** More lines for the details section (errors, measured numbers). */
  notes?: string[];
}

export interface CheckOutcome {
  status: CheckStatus;
  detail: string;
  notes?: string[];
}

/** A check of a live environment: its own id and title, and what running it found. */
export interface Check<S> {
  id: string;
  title: string;
  run(state: S): Promise<CheckOutcome>;
}

/**
 * Runs the checks in order, timing each, and reports each result as it is known. A check that
 * throws gets the outcome `onError` gives it (by default a failure with the error's text).
 * Used by `ops test-infra` and `ops test-api`; each does its own cleanup around it.
 */
export async function runInOrder<S>(
  checks: readonly Check<S>[],
  state: S,
  onResult: (r: CheckResult) => void,
  onError: (err: unknown) => CheckOutcome,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of checks) {
    const t0 = Date.now();
    let outcome: CheckOutcome;
    try {
      outcome = await check.run(state);
    } catch (err) {
      outcome = onError(err);
    }
    const result: CheckResult = { id: check.id, title: check.title, ...outcome, durationMs: Date.now() - t0 };
    results.push(result);
    onResult(result);
  }
  return results;
}

export interface InfraReport {
  env: string;
  region?: string;
  account?: string;
  startedAt: Date;
  finishedAt: Date;
  /** Why every check was skipped, when nothing could run (e.g. no AWS credentials). */
  skippedReason?: string;
  outputsFile?: string;
  gitSha?: string;
  results: CheckResult[];
}

export const STATUS_MARK: Record<CheckStatus, string> = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP' };

export function summarizeResults(results: readonly CheckResult[]) {
  const count = (s: CheckStatus) => results.filter((r) => r.status === s).length;
  return { pass: count('pass'), fail: count('fail'), skip: count('skip'), total: results.length };
}

/** The overall verdict: failed if any check failed; skipped if nothing ran; else passed. */
export function verdict(report: InfraReport): 'passed' | 'failed' | 'skipped' {
  const s = summarizeResults(report.results);
  if (s.fail > 0) return 'failed';
  if (s.pass === 0) return 'skipped';
  return 'passed';
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

export function renderReport(r: InfraReport): string {
  const s = summarizeResults(r.results);
  const seconds = ((r.finishedAt.getTime() - r.startedAt.getTime()) / 1000).toFixed(1);
  const out = [
    `# Infrastructure test: ${r.env}`,
    '',
    `- result: **${verdict(r)}** (${s.pass} passed, ${s.fail} failed, ${s.skip} skipped of ${s.total})`,
    ...(r.skippedReason ? [`- skipped: ${r.skippedReason}`] : []),
    `- environment: ${r.env}`,
    `- region: ${r.region ?? 'unknown'}`,
    ...(r.account ? [`- account: ${r.account}`] : []),
    `- started: ${r.startedAt.toISOString()} (${seconds} s)`,
    ...(r.outputsFile ? [`- outputs: ${r.outputsFile}`] : []),
    ...(r.gitSha ? [`- git: ${r.gitSha}`] : []),
    '',
    '| # | check | result | time | detail |',
    '|---|---|---|---|---|',
    ...r.results.map(
      (c, i) => `| ${i + 1} | ${cell(c.title)} | ${STATUS_MARK[c.status]} | ${(c.durationMs / 1000).toFixed(1)} s | ${cell(c.detail)} |`,
    ),
  ];
  const withNotes = r.results.filter((c) => c.notes?.length);
  if (withNotes.length) {
    out.push('', '## Details');
    for (const c of withNotes) {
      out.push('', `### ${c.title} (\`${c.id}\`)`, '', ...c.notes!.map((n) => `- ${n}`));
    }
  }
  return `${out.join('\n')}\n`;
}
