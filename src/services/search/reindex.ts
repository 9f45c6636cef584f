import type { StepDeps } from '../pipeline/steps.js';
import { embedStep } from '../pipeline/steps.js';
import { SearchRowsRepository } from '../../repositories/search-rows.js';
import { errorMessage } from '../../domain/errors.js';
import { log } from '../../shared/logger.js';

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
  const targets = opts.all ? await rows.listIndexable(opts.user) : await staleOrOutdated(rows, deps.embedder, opts.user);
  // Marks every row stale first, so an interrupted --all run is finished by a plain one.
  if (opts.all) await rows.markAllStale(opts.user);
  return embedEach(deps, targets, onProgress);
}

/**
 * The pipeline's embed step for each target, one at a time, counting what worked and what failed.
 * It yields to the event loop before each row: PGlite's queries complete without returning to it,
 * so a run inside the server (admin reindex, the start-up refresh) would otherwise keep requests
 * unanswered, and the server from even listening, until it is over. `shouldStop` ends it early.
 */
async function embedEach(
  deps: StepDeps,
  targets: readonly { item_id: string; user_id: string }[],
  onProgress: (p: ReindexProgress) => void = () => {},
  shouldStop: () => boolean = () => false,
): Promise<ReindexProgress> {
  const progress: ReindexProgress = { embedding_model: deps.embedder.id, total: targets.length, done: 0, failed: [] };
  onProgress(progress);
  for (const t of targets) {
    await new Promise((resolve) => setImmediate(resolve));
    if (shouldStop()) break;
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

/** Rows made by another model or none, then rows made by an older revision of this one. */
async function staleOrOutdated(rows: SearchRowsRepository, embedder: StepDeps['embedder'], user?: string) {
  const stale = await rows.listStale(embedder.id, user);
  if (!embedder.revision) return stale;
  const seen = new Set(stale.map((t) => t.item_id));
  const outdated = await rows.listOutdatedRevision(embedder.id, embedder.revision, user);
  return [...stale, ...outdated.filter((t) => !seen.has(t.item_id))];
}

/** A background refresh started by `startEmbeddingRefresh`. */
export interface EmbeddingRefresh {
  /** Resolves with what was re-embedded once the run ends (finished or stopped). */
  readonly finished: Promise<ReindexProgress>;
  /** Ends the run after the row in hand (the server is closing); the next start does the rest. */
  stop(): Promise<void>;
}

/**
 * Re-embeds, in the background, the rows the configured embedder made in an older revision: the
 * offline embedder is tuned under one name (its lexicon and settings change; Embedder.revision
 * hashes them), and a row made before should not be compared with a query made after. Each row
 * keeps its old vector, and stays searchable, until its new one is written; nothing happens for
 * embedders without revisions or when every row is current (one query).
 */
export function startEmbeddingRefresh(deps: StepDeps): EmbeddingRefresh {
  let stopping = false;
  const revision = deps.embedder.revision;
  const finished = (async (): Promise<ReindexProgress> => {
    const targets = revision ? await new SearchRowsRepository(deps.db).listOutdatedRevision(deps.embedder.id, revision) : [];
    if (!targets.length) return embedEach(deps, targets);
    log.info('re-embedding search rows made by an older revision of the embedder', {
      embedding_model: deps.embedder.id,
      revision,
      rows: targets.length,
    });
    const progress = await embedEach(deps, targets, undefined, () => stopping);
    log.info('re-embedding finished', { done: progress.done, failed: progress.failed.length, stopped: stopping });
    return progress;
  })().catch((err: unknown) => {
    log.error('re-embedding failed', { error: errorMessage(err) });
    return { embedding_model: deps.embedder.id, total: 0, done: 0, failed: [] };
  });
  return {
    finished,
    async stop() {
      stopping = true;
      await finished;
    },
  };
}
