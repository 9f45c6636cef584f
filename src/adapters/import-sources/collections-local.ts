import path from 'node:path';
import { openReadOnlySqlite } from './sqlite.js';
import {
  ImportInputError,
  assertFile,
  basename,
  dedupeItems,
  num,
  orderVersions,
  parseTimestamp,
  readJsonFile,
  str,
  type SourceData,
  type SourceItem,
} from './source.js';

/**
 * collections-local's tables (its SQLite schema; the JSON export holds the same rows):
 *   items (id, filename, original_filename, file_path, file_size, mime_type, created_at, updated_at)
 *   analyses (id, item_id, version, category, summary, raw_response, provider_used, model_used,
 *             trace_id, created_at)
 * `items_fts` (FTS5) and `embeddings` are derived data: search rows are rebuilt here instead.
 */
export type ItemRow = Record<string, unknown>;
export type AnalysisRow = Record<string, unknown>;

export function fromCollectionsLocalRows(
  items: ItemRow[],
  analyses: AnalysisRow[],
): { items: SourceItem[]; orphans: NonNullable<SourceData['orphans']> } {
  const byItem = new Map<string, AnalysisRow[]>();
  for (const a of analyses) {
    const itemId = str(a['item_id']);
    if (!itemId) continue;
    const list = byItem.get(itemId) ?? [];
    list.push(a);
    byItem.set(itemId, list);
  }
  const out: SourceItem[] = [];
  for (const row of items) {
    const id = str(row['id']);
    if (!id) continue;
    const names = [basename(str(row['file_path'])), basename(str(row['filename'])), `${id}.jpg`];
    const item: SourceItem = {
      source_id: id,
      original_filename: str(row['original_filename']) ?? basename(str(row['filename'])),
      mime_type: str(row['mime_type']),
      file_size: num(row['file_size']),
      created_at: parseTimestamp(row['created_at']),
      image_names: [...new Set(names.filter((n): n is string => !!n))],
      analyses: (byItem.get(id) ?? []).map((a) => ({
        source_id: str(a['id']),
        version: num(a['version']) ?? 1,
        raw: a['raw_response'] ?? null,
        provider: str(a['provider_used']) ?? 'collections-local',
        model: str(a['model_used']) ?? 'unknown',
        trace_id: str(a['trace_id']),
        created_at: parseTimestamp(a['created_at']),
      })),
      warnings: [],
    };
    orderVersions(item);
    out.push(item);
  }
  const known = new Set(out.map((i) => i.source_id));
  const orphans = analyses
    .filter((a) => !known.has(str(a['item_id']) ?? ''))
    .map((a) => ({ item_id: str(a['item_id']) ?? '?', analysis_id: str(a['id']) }));
  return { items: dedupeItems(out), orphans };
}

/** collections-local's SQLite database, opened read-only (never written, no journal files). */
export async function readCollectionsLocalSqlite(source: string): Promise<SourceData> {
  const file = path.resolve(source);
  await assertFile(file, '--source');
  const sqlite = await openReadOnlySqlite(file);
  try {
    const { db, tables } = sqlite;
    if (!tables.has('items') || !tables.has('analyses')) {
      const hint =
        tables.has('embeddings') && tables.has('embedding_metadata') ? ' (this looks like a Chroma database: use --format chroma)' : '';
      throw new ImportInputError(`--source ${file} is not a collections-local database: it has no items and analyses tables${hint}`);
    }
    const items = db.prepare('SELECT * FROM items ORDER BY created_at, id').all() as ItemRow[];
    const analyses = db.prepare('SELECT * FROM analyses ORDER BY item_id, version, created_at').all() as AnalysisRow[];
    return {
      ...fromCollectionsLocalRows(items, analyses),
      source: file,
      defaultImagesDir: path.join(path.dirname(file), 'images'),
    };
  } finally {
    await sqlite.close();
  }
}

/** collections-local's JSON export: `{exported_at, database_path, tables: {items, analyses}}`. */
export async function readCollectionsLocalExport(source: string): Promise<SourceData> {
  const file = path.resolve(source);
  const json = await readJsonFile(file, '--source');
  const tables = (json as { tables?: unknown } | null)?.tables as { items?: unknown; analyses?: unknown } | undefined;
  if (!tables || typeof tables !== 'object' || !Array.isArray(tables.items)) {
    const hint =
      json && typeof json === 'object' && 'golden_analyses' in json ? ' (this looks like a golden set: use --format golden)' : '';
    throw new ImportInputError(
      `--source ${file} is not a collections-local JSON export: expected {"tables": {"items": [...], "analyses": [...]}}${hint}`,
    );
  }
  const analyses = Array.isArray(tables.analyses) ? tables.analyses : [];
  const objects = <T>(xs: unknown[]) => xs.filter((x): x is T => !!x && typeof x === 'object' && !Array.isArray(x));
  return {
    ...fromCollectionsLocalRows(objects<ItemRow>(tables.items), objects<AnalysisRow>(analyses)),
    source: file,
    defaultImagesDir: path.join(path.dirname(file), 'images'),
  };
}
