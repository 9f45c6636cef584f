import type { Analysis } from '../domain/analysis.js';
import type { ItemStatus } from '../domain/item.js';
import type { Queryable } from '../ports/database.js';
import type { NewItem } from './items.js';

/**
 * The importer's own SQL: inserts that keep the source's ids, versions and timestamps, which
 * the repositories (made for uploads: new ids, now(), next version) do not offer. Every
 * statement is scoped by user id, except `isItemIdTaken`, which only says whether a primary
 * key is in use (see ids.ts) and returns nothing about the row.
 */
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function isItemIdTaken(db: Queryable, id: string): Promise<boolean> {
  const r = await db.query('SELECT 1 FROM items WHERE id = $1', [id]);
  return r.rows.length > 0;
}

/** A new item (the repository's shape) that keeps its source status and creation time. */
export interface ImportedItemRow extends NewItem {
  status: ItemStatus;
  created_at: Date | null;
}

/** Inserts the item unless its id or (user, sha256) is taken; true when this call inserted it. */
export async function insertItem(db: Queryable, row: ImportedItemRow): Promise<boolean> {
  const r = await db.query(
    `INSERT INTO items (id, user_id, filename, original_filename, mime_type, file_size, sha256,
       original_key, width, height, status, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,
       COALESCE($12::timestamptz, now()), now())
     ON CONFLICT DO NOTHING
     RETURNING id`,
    [
      row.id,
      row.user_id,
      row.filename,
      row.original_filename,
      row.mime_type,
      row.file_size,
      row.sha256,
      row.original_key,
      row.width ?? null,
      row.height ?? null,
      row.status,
      iso(row.created_at),
    ],
  );
  return r.rows.length > 0;
}

export interface ImportedAnalysisRow {
  id: string;
  item_id: string;
  user_id: string;
  version: number;
  analysis: Analysis;
  provider: string;
  model: string;
  trace_id: string | null;
  created_at: Date | null;
}

/** Inserts one analysis version as the source had it; false when the id or version is taken. */
export async function insertAnalysis(db: Queryable, a: ImportedAnalysisRow): Promise<boolean> {
  const r = await db.query(
    `INSERT INTO analyses (id, item_id, user_id, version, category, subcategories, headline,
       summary, raw, provider, model, trace_id, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, COALESCE($13::timestamptz, now()))
     ON CONFLICT DO NOTHING
     RETURNING id`,
    [
      a.id,
      a.item_id,
      a.user_id,
      a.version,
      a.analysis.category,
      a.analysis.subcategories,
      a.analysis.headline,
      a.analysis.summary,
      JSON.stringify(a.analysis),
      a.provider,
      a.model,
      a.trace_id,
      iso(a.created_at),
    ],
  );
  return r.rows.length > 0;
}

/** The item's analysis versions: id → version. */
export async function analysisVersions(db: Queryable, userId: string, itemId: string): Promise<Map<string, number>> {
  const r = await db.query<{ id: string; version: number }>(
    'SELECT id::text AS id, version FROM analyses WHERE user_id = $1 AND item_id = $2',
    [userId, itemId],
  );
  return new Map(r.rows.map((x) => [x.id, x.version]));
}

/** Whether an analysis id is in use by any row (ids are global primary keys). */
export async function isAnalysisIdTaken(db: Queryable, id: string): Promise<boolean> {
  return (await db.query('SELECT 1 FROM analyses WHERE id = $1', [id])).rows.length > 0;
}

/** Gives an item imported without its image the image found later. */
export async function attachImage(
  db: Queryable,
  userId: string,
  itemId: string,
  img: { sha256: string; mime_type: string; file_size: number; original_key: string; filename: string; width: number; height: number },
): Promise<void> {
  await db.query(
    `UPDATE items SET sha256 = $3, mime_type = $4, file_size = $5, original_key = $6, filename = $7,
       width = $8, height = $9, updated_at = now()
     WHERE user_id = $1 AND id = $2`,
    [userId, itemId, img.sha256, img.mime_type, img.file_size, img.original_key, img.filename, img.width, img.height],
  );
}

export interface ItemState {
  id: string;
  has_thumbnail: boolean;
  analyses: number;
  headline: string | null;
}

/** For the report: the user's items among `ids`, with their analysis count and live headline. */
export async function itemStates(db: Queryable, userId: string, ids: string[]): Promise<ItemState[]> {
  if (!ids.length) return [];
  const r = await db.query<ItemState>(
    `SELECT i.id::text AS id, i.thumbnail_key IS NOT NULL AS has_thumbnail,
       (SELECT count(*)::int FROM analyses a WHERE a.user_id = i.user_id AND a.item_id = i.id) AS analyses,
       (SELECT a.headline FROM analyses a WHERE a.user_id = i.user_id AND a.item_id = i.id
        ORDER BY a.version DESC LIMIT 1) AS headline
     FROM items i WHERE i.user_id = $1 AND i.id = ANY($2::uuid[])`,
    [userId, ids],
  );
  return r.rows;
}
