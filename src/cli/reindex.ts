import type { Config } from '../config.js';
import { createServices } from '../app/services.js';
import { embedStep } from '../pipeline/steps.js';
import { SearchRowsRepository } from '../repositories/search-rows.js';
import { errorMessage } from '../domain/errors.js';

/**
 * Re-embeds search rows with the configured embedder: after changing EMBEDDING_PROVIDER or
 * EMBEDDING_MODEL the old vectors have another dimension and meaning, so search needs new ones.
 */
export async function reindex(
  config: Config,
  opts: { all?: boolean; user?: string } = {},
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
) {
  const services = await createServices(config, {}, { runPipeline: false });
  try {
    const rows = new SearchRowsRepository(services.db);
    const targets = opts.all
      ? (
          await services.db.query<{ item_id: string; user_id: string }>(
            `SELECT id::text AS item_id, user_id FROM items WHERE status IN ('ready', 'analyzed')
             AND ($1::text IS NULL OR user_id = $1) ORDER BY created_at`,
            [opts.user ?? null],
          )
        ).rows
      : await rows.listStale(services.embedder.id, opts.user);
    if (opts.all) await services.db.query(
      'UPDATE search_rows SET embedding_model = NULL WHERE ($1::text IS NULL OR user_id = $1)', [opts.user ?? null]);
    let done = 0;
    const failed: { item_id: string; error: string }[] = [];
    for (const t of targets) {
      try {
        await embedStep(services.steps, t);
        done++;
      } catch (err) {
        failed.push({ item_id: t.item_id, error: errorMessage(err) });
      }
      if ((done + failed.length) % 25 === 0 || done + failed.length === targets.length) {
        log(`reindex: ${done + failed.length}/${targets.length} (${services.embedder.id})`);
      }
    }
    return { embedding_model: services.embedder.id, items: targets.length, reindexed: done, failed };
  } finally {
    await services.close();
  }
}
