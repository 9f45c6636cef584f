import type { Queryable } from '../ports/database.js';

/** An item as collections-local's export lists it (plus where our copy of the original is). */
export interface ExportItemRow {
  id: string;
  filename: string;
  original_filename: string;
  file_size: number;
  mime_type: string;
  original_key: string;
  created_at: Date;
  updated_at: Date;
}

export interface ExportAnalysisRow {
  id: string;
  item_id: string;
  version: number;
  category: string;
  summary: string;
  raw: unknown;
  provider: string;
  model: string;
  trace_id: string | null;
  created_at: Date;
}

/** What an export reads: one user's items (all, or the ids given) and every analysis version of them. */
export class ExportsRepository {
  constructor(private readonly db: Queryable) {}

  async items(userId: string, ids?: readonly string[]): Promise<ExportItemRow[]> {
    const r = await this.db.query<ExportItemRow>(
      `SELECT id::text AS id, filename, original_filename, file_size::float8 AS file_size, mime_type, original_key,
         created_at, updated_at
       FROM items WHERE user_id = $1 AND ($2::uuid[] IS NULL OR id = ANY($2::uuid[]))
       ORDER BY created_at, id`,
      [userId, ids ? [...ids] : null],
    );
    return r.rows;
  }

  async analyses(userId: string, itemIds: readonly string[]): Promise<ExportAnalysisRow[]> {
    if (itemIds.length === 0) return [];
    const r = await this.db.query<ExportAnalysisRow>(
      `SELECT id::text AS id, item_id::text AS item_id, version, category, summary, raw, provider, model, trace_id, created_at
       FROM analyses WHERE user_id = $1 AND item_id = ANY($2::uuid[])
       ORDER BY item_id, version`,
      [userId, [...itemIds]],
    );
    return r.rows;
  }
}
