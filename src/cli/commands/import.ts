import type { Config } from '../../shared/config.js';
import { createServices } from '../../app/services.js';
import { checkImportOptions, runImport, type ImportOptions, type ImportReport } from '../importer/index.js';
import { createProgressDisplay } from '../importer/progress.js';

export interface ImportCommandOptions {
  format: string;
  source: string;
  images?: string;
  user?: string;
}

/**
 * `collections import`: imports into the collection at COLLECTIONS_DATA_DIR (or DATABASE_URL).
 * Progress and a short summary go to stderr, the report as JSON to stdout. Returns the exit
 * code: 0 when the report is ok, 1 when anything failed or does not add up.
 */
export async function importCommand(
  config: Config,
  opts: ImportCommandOptions,
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WriteStream } = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  // A mistyped path or format fails at once, not after the database has opened.
  await checkImportOptions(opts as ImportOptions);
  const services = await createServices(
    config,
    {
      // An import never calls a vision model (analyses come from the source), so it needs no
      // provider key; items without analysis are analysed later by `collections serve`.
      vision: () => {
        throw new Error('collections import does not analyse images');
      },
    },
    { runPipeline: false },
  );
  const progress = createProgressDisplay(io.stderr);
  try {
    const report = await runImport(services, opts as ImportOptions, (p) => progress.update(p));
    progress.stop();
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    io.stderr.write(summarize(report));
    return report.ok ? 0 : 1;
  } finally {
    progress.stop();
    await services.close();
  }
}

export function summarize(r: ImportReport): string {
  const lines = [
    `${r.format} ${r.source} → user ${r.user_id} (${(r.duration_ms / 1000).toFixed(1)} s)`,
    `  items: ${r.items_in} in the source, ${r.items_out} in the collection — ${r.imported} imported, ` +
      `${r.resumed} completed, ${r.skipped_existing} already there, ${r.skipped_duplicate.length} duplicates skipped, ` +
      `${r.failed.length} failed`,
    `  analyses: ${r.analyses_in} in the source, ${r.analyses_out} in the collection`,
    `  images: ${r.images_dir ?? '(no images folder)'}; ${r.images_missing.length} missing; ` +
      `${r.items_without_analysis.length} items without analysis`,
    `  search (${r.embedding_model}): ${r.findable_by_headline.found}/${r.findable_by_headline.checked} found by their headline` +
      (r.findable_by_headline.no_headline.length ? `, ${r.findable_by_headline.no_headline.length} without headline` : '') +
      (r.findable_by_headline.error ? ` — ${r.findable_by_headline.error}` : ''),
  ];
  if (Object.keys(r.remapped_ids).length) {
    lines.push(`  ${Object.keys(r.remapped_ids).length} items got a new id (their source id belongs to another user): see remapped_ids`);
  }
  for (const f of r.failed.slice(0, 10)) lines.push(`  failed ${f.item_id}${f.analysis_id ? ` (${f.analysis_id})` : ''}: ${f.reason}`);
  if (r.failed.length > 10) lines.push(`  … and ${r.failed.length - 10} more failures (see the JSON report)`);
  if (r.warnings.length) lines.push(`  ${r.warnings.length} warnings (see the JSON report)`);
  lines.push(r.ok ? 'import: ok' : 'import: PROBLEMS (see above and the JSON report)');
  return `${lines.join('\n')}\n`;
}
