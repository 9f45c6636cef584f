import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { EvalReport } from './report.js';
import { renderMarkdown } from './format.js';

export * from './metrics.js';
export * from './dataset.js';
export * from './report.js';
export * from './runner.js';
export * from './http-searcher.js';
export { noticeLines, renderMarkdown, renderSummaryTable } from './format.js';

/** Writes `DIR/report.json` and `DIR/report.md` (creating DIR) and returns their paths. */
export async function writeReport(dir: string, report: EvalReport): Promise<{ json: string; md: string }> {
  const out = path.resolve(dir);
  await mkdir(out, { recursive: true });
  const json = path.join(out, 'report.json');
  const md = path.join(out, 'report.md');
  await writeFile(json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(md, renderMarkdown(report));
  return { json, md };
}
