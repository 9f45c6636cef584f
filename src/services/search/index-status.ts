import { ITEM_STATUSES } from '../../domain/item.js';
import type { Queryable } from '../../ports/database.js';
import { IndexStatusRepository } from '../../repositories/index-status.js';

/** The search index across all users, for operators: what a reindex would change. */
export async function indexStatus(db: Queryable, model: string, revision: string | null = null) {
  const counts = await new IndexStatusRepository(db).counts(model, revision);
  const byStatus: Record<string, number> = Object.fromEntries(ITEM_STATUSES.map((s) => [s, 0]));
  for (const r of counts.byStatus) byStatus[r.status] = r.n;
  return {
    embedding_model: model,
    items_by_status: byStatus,
    rows_by_embedding_model: counts.byModel,
    rows_missing_embedding: counts.missing,
    rows_stale: counts.stale,
    items_without_search_row: counts.unindexed,
  };
}
