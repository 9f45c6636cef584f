import { randomUUID } from 'node:crypto';
import type { Analysis } from '../domain/analysis.js';
import type { AnalysisRecord } from '../domain/item.js';
import type { Queryable } from '../ports/database.js';
import { isUuid } from './items.js';

const COLUMNS = `id::text AS id, item_id::text AS item_id, user_id, version, category, subcategories,
  headline, summary, raw, provider, model, trace_id, created_at`;

/** Versioned analyses: each (re-)analysis adds version n+1; the highest version is the live one. */
export class AnalysesRepository {
  constructor(private readonly db: Queryable) {}

  async insertNextVersion(
    userId: string,
    itemId: string,
    a: { analysis: Analysis; provider: string; model: string; traceId: string | null },
  ): Promise<AnalysisRecord> {
    // The version is computed in the INSERT itself; the unique (user, item, version) index
    // turns a concurrent double insert into an error instead of two "version 2"s.
    const r = await this.db.query<AnalysisRecord>(
      `INSERT INTO analyses (id, item_id, user_id, version, category, subcategories, headline,
         summary, raw, provider, model, trace_id)
       SELECT $1, $2, $3, COALESCE(MAX(version), 0) + 1, $4, $5, $6, $7, $8, $9, $10, $11
       FROM analyses WHERE user_id = $3 AND item_id = $2
       RETURNING ${COLUMNS}`,
      [
        randomUUID(),
        itemId,
        userId,
        a.analysis.category,
        a.analysis.subcategories,
        a.analysis.headline,
        a.analysis.summary,
        JSON.stringify(a.analysis),
        a.provider,
        a.model,
        a.traceId,
      ],
    );
    const row = r.rows[0];
    if (!row) throw new Error('analysis insert returned no row');
    return row;
  }

  async latest(userId: string, itemId: string): Promise<AnalysisRecord | null> {
    if (!isUuid(itemId)) return null;
    const r = await this.db.query<AnalysisRecord>(
      `SELECT ${COLUMNS} FROM analyses WHERE user_id = $1 AND item_id = $2
       ORDER BY version DESC LIMIT 1`,
      [userId, itemId],
    );
    return r.rows[0] ?? null;
  }

  async listForItem(userId: string, itemId: string): Promise<AnalysisRecord[]> {
    if (!isUuid(itemId)) return [];
    const r = await this.db.query<AnalysisRecord>(
      `SELECT ${COLUMNS} FROM analyses WHERE user_id = $1 AND item_id = $2 ORDER BY version DESC`,
      [userId, itemId],
    );
    return r.rows;
  }

  async get(userId: string, id: string): Promise<AnalysisRecord | null> {
    if (!isUuid(id)) return null;
    const r = await this.db.query<AnalysisRecord>(`SELECT ${COLUMNS} FROM analyses WHERE user_id = $1 AND id = $2`, [userId, id]);
    return r.rows[0] ?? null;
  }
}
