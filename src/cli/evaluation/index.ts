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
export function writeReport(dir: string, report: EvalReport): Promise<{ json: string; md: string }> {
  return writeReportFiles(dir, 'report', report, renderMarkdown(report));
}

/** Writes `DIR/NAME.json` (the data) and `DIR/NAME.md` (creating DIR); returns their paths. */
export async function writeReportFiles(dir: string, name: string, data: unknown, markdown: string): Promise<{ json: string; md: string }> {
  const out = path.resolve(dir);
  await mkdir(out, { recursive: true });
  const json = path.join(out, `${name}.json`);
  const md = path.join(out, `${name}.md`);
  await writeFile(json, `${JSON.stringify(data, null, 2)}\n`);
  await writeFile(md, markdown);
  return { json, md };
}
