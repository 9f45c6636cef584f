import type { Config } from '../../shared/config.js';
import { createServices } from '../../app/services.js';
import { reindexSearchRows, type ReindexOptions } from '../../services/search/reindex.js';

/** `collections reindex`: re-embed stale search rows (or all with --all) and report. */
export async function reindex(
  config: Config,
  opts: ReindexOptions = {},
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
) {
  const services = await createServices(config, {}, { runPipeline: false });
  try {
    const result = await reindexSearchRows(services.steps, opts, (p) => {
      const handled = p.done + p.failed.length;
      if (handled % 25 === 0 || handled === p.total) log(`reindex: ${handled}/${p.total} (${p.embedding_model})`);
    });
    return { embedding_model: result.embedding_model, items: result.total, reindexed: result.done, failed: result.failed };
  } finally {
    await services.close();
  }
}
