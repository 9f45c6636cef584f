import type { StepDeps } from '../pipeline/steps.js';
import { embedStep } from '../pipeline/steps.js';
import { SearchRowsRepository } from '../../repositories/search-rows.js';
import { errorMessage } from '../../domain/errors.js';

export interface ReindexOptions {
  /** Re-embed every row, not only rows made by another model (or none). */
  all?: boolean;
  /** Only this user's rows. */
  user?: string;
}

export interface ReindexProgress {
  embedding_model: string;
  total: number;
  done: number;
  failed: { item_id: string; error: string }[];
}

/**
 * Rebuilds search rows with the configured embedder: after a change of EMBEDDING_PROVIDER or
 * EMBEDDING_MODEL the old vectors have another dimension and meaning, so search needs new ones.
 * Runs the pipeline's own embed step per item, so a reindexed row is exactly what a new
 * upload would get.
 */
export async function reindexSearchRows(
  deps: Pick<StepDeps, 'db' | 'embedder'> & StepDeps,
  opts: ReindexOptions = {},
  onProgress: (p: ReindexProgress) => void = () => {},
): Promise<ReindexProgress> {
  const rows = new SearchRowsRepository(deps.db);
  const targets = opts.all ? await rows.listIndexable(opts.user) : await rows.listStale(deps.embedder.id, opts.user);
  // Marks every row stale first, so an interrupted --all run is finished by a plain one.
  if (opts.all) await rows.markAllStale(opts.user);
  const progress: ReindexProgress = { embedding_model: deps.embedder.id, total: targets.length, done: 0, failed: [] };
  onProgress(progress);
  for (const t of targets) {
    try {
      await embedStep(deps, t);
      progress.done++;
    } catch (err) {
      progress.failed.push({ item_id: t.item_id, error: errorMessage(err) });
    }
    onProgress(progress);
  }
  return progress;
}
