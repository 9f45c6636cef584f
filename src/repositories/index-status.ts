import type { Queryable } from '../ports/database.js';

export interface IndexCounts {
  /** Items per status, only the statuses that have items. */
  byStatus: { status: string; n: number }[];
  /** Search rows per embedding model (null: never embedded), most first. */
  byModel: { embedding_model: string | null; rows: number }[];
  missing: number;
  /** Rows not made by `model` (another or none), or made by an older revision of it. */
  stale: number;
  /** Ready items that have no search row. */
  unindexed: number;
}

/** What the operators' index status shows (GET /admin/index/status): across all users. */
export class IndexStatusRepository {
  constructor(private readonly db: Queryable) {}

  async counts(model: string, revision: string | null = null): Promise<IndexCounts> {
    const [statuses, models, counts] = await Promise.all([
      this.db.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM items GROUP BY status'),
      this.db.query<{ embedding_model: string | null; rows: number }>(
        'SELECT embedding_model, count(*)::int AS rows FROM search_rows GROUP BY embedding_model ORDER BY 2 DESC',
      ),
      this.db.query<{ missing: number; stale: number; unindexed: number }>(
        `SELECT
           (SELECT count(*)::int FROM search_rows WHERE embedding IS NULL) AS missing,
           (SELECT count(*)::int FROM search_rows WHERE embedding_model IS DISTINCT FROM $1
              OR ($2::text IS NOT NULL AND embedder_revision IS DISTINCT FROM $2)) AS stale,
           (SELECT count(*)::int FROM items i WHERE i.status = 'ready'
              AND NOT EXISTS (SELECT 1 FROM search_rows s WHERE s.user_id = i.user_id AND s.item_id = i.id)) AS unindexed`,
        [model, revision],
      ),
    ]);
    const n = counts.rows[0]!;
    return { byStatus: statuses.rows, byModel: models.rows, missing: n.missing, stale: n.stale, unindexed: n.unindexed };
  }

  /** Proves the database answers. */
  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }
}
