import { AppError } from '../../domain/errors.js';
import type { Database } from '../../ports/database.js';
import type { ObjectStore } from '../../ports/object-store.js';
import { isUuid } from '../../repositories/items.js';
import { ExportsRepository, type ExportAnalysisRow, type ExportItemRow } from '../../repositories/exports.js';

/**
 * The collection in collections-local's export format: `database.json` ({exported_at,
 * database_path, tables: {items, analyses}}, the rows of its SQLite tables) beside `images/`
 * holding each original under its item's `filename`. `collections import --format export
 * --source <folder>/database.json` reads it back (the round trip is tested).
 */
export interface CollectionExport {
  database: {
    exported_at: string;
    database_path: string;
    tables: { items: Record<string, unknown>[]; analyses: Record<string, unknown>[] };
  };
  /** The originals, in the order of `tables.items`: where each goes and how to read it. */
  images: { name: string; size: number; read: () => Promise<Buffer | null> }[];
}

const iso = (d: Date | string) => new Date(d).toISOString();

function itemRow(i: ExportItemRow): Record<string, unknown> {
  return {
    id: i.id,
    filename: i.filename,
    original_filename: i.original_filename,
    file_path: `./data/images/${i.filename}`,
    file_size: Number(i.file_size),
    mime_type: i.mime_type,
    created_at: iso(i.created_at),
    updated_at: iso(i.updated_at),
  };
}

function analysisRow(a: ExportAnalysisRow): Record<string, unknown> {
  return {
    id: a.id,
    item_id: a.item_id,
    version: a.version,
    category: a.category,
    summary: a.summary,
    raw_response: typeof a.raw === 'string' ? a.raw : JSON.stringify(a.raw),
    provider_used: a.provider,
    model_used: a.model,
    trace_id: a.trace_id,
    created_at: iso(a.created_at),
  };
}

/** One user's collection (or the items `ids` names; unknown ids are a 400). */
export async function exportCollection(
  deps: { db: Database; store: ObjectStore },
  userId: string,
  ids?: readonly string[],
): Promise<CollectionExport> {
  if (ids) {
    const bad = ids.find((id) => !isUuid(id));
    if (bad !== undefined) throw new AppError(400, 'invalid_id', `Not an item id: ${JSON.stringify(bad.slice(0, 80))}.`);
  }
  const repo = new ExportsRepository(deps.db);
  const items = await repo.items(userId, ids);
  if (ids && items.length < new Set(ids).size) {
    const found = new Set(items.map((i) => i.id));
    const missing = ids.filter((id) => !found.has(id));
    throw new AppError(404, 'not_found', `No such item: ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? '…' : ''}.`);
  }
  const analyses = await repo.analyses(
    userId,
    items.map((i) => i.id),
  );
  return {
    database: {
      exported_at: new Date().toISOString(),
      database_path: 'collections',
      tables: { items: items.map(itemRow), analyses: analyses.map(analysisRow) },
    },
    images: items.map((i) => ({ name: i.filename, size: Number(i.file_size), read: () => deps.store.get(i.original_key) })),
  };
}
