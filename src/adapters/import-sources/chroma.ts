import { stat } from 'node:fs/promises';
import path from 'node:path';
import { openReadOnlySqlite, type ReadOnlySqlite } from './sqlite.js';
import { ImportInputError, basename, parseTimestamp, str, type SourceData, type SourceItem } from './source.js';

export const CHROMA_PROVIDER = 'chroma-import';
/** Chroma stores each record's document as this metadata key (0.4 onwards). */
const DOCUMENT_KEY = 'chroma:document';

/**
 * A Chroma persistent directory (`chromadb.PersistentClient(path)`), read straight from its
 * `chroma.sqlite3`, no Chroma server or Python needed. The tables used (Chroma 0.4 – 1.x):
 *   collections (id, name, …) ← segments (id, type, scope, collection) ← embeddings (id INTEGER,
 *   segment_id, embedding_id, seq_id, created_at); embedding_metadata (id → embeddings.id, key,
 *   string_value, int_value, float_value, bool_value [0.4.x+]) with the document under the key
 *   `chroma:document`; embedding_metadata_array (same columns, list values, 1.x); and the FTS5
 *   table embedding_fulltext_search (rowid = embeddings.id, string_value = the document).
 * The vectors themselves (HNSW files) are not read: the configured embedder re-embeds.
 *
 * collections-local (retrieval/chroma_manager.py) stored one record per item (or per chunk of
 * it, with chunk_index) with metadata item_id, category, headline, summary, filename,
 * image_url and raw_response (the whole analysis as JSON), and its flat document text.
 * Records are grouped by `item_id` (by record id when there is none). The analysis is
 * `raw_response` when it is there, otherwise it is assembled from the metadata that exists,
 * with the document as summary/extracted text. Provider `chroma-import`, model: the collection.
 */
export async function readChroma(source: string): Promise<SourceData> {
  const given = path.resolve(source);
  const s = await stat(given).catch(() => null);
  if (!s) throw new ImportInputError(`--source ${given} does not exist`);
  const dir = s.isDirectory() ? given : path.dirname(given);
  const file = s.isDirectory() ? path.join(given, 'chroma.sqlite3') : given;
  if (
    !(await stat(file).then(
      (x) => x.isFile(),
      () => false,
    ))
  ) {
    throw new ImportInputError(`--source ${given} is not a Chroma persistent directory: it has no chroma.sqlite3`);
  }
  const sqlite = await openReadOnlySqlite(file);
  try {
    if (!sqlite.tables.has('embeddings') || !sqlite.tables.has('embedding_metadata')) {
      const hint =
        sqlite.tables.has('items') && sqlite.tables.has('analyses')
          ? ' (this looks like a collections-local database: use --format sqlite)'
          : '';
      throw new ImportInputError(`--source ${file} is not a Chroma database: it has no embeddings and embedding_metadata tables${hint}`);
    }
    const records = readRecords(sqlite);
    // collections-local kept ./data/chroma beside ./data/images.
    return { items: groupIntoItems(records), source: dir, defaultImagesDir: path.join(path.dirname(dir), 'images') };
  } finally {
    await sqlite.close();
  }
}

type MetaValue = string | number | boolean | null;
interface ChromaRecord {
  rowid: number;
  embedding_id: string;
  collection: string | null;
  created_at: string | null;
  document: string | null;
  metadata: Record<string, MetaValue | MetaValue[]>;
}

function readRecords(sqlite: ReadOnlySqlite): ChromaRecord[] {
  const { db, tables } = sqlite;
  const joinCollections = tables.has('segments') && tables.has('collections') && sqlite.columns('segments').has('collection');
  const rows = db
    .prepare<[], { rowid: number; embedding_id: string; created_at: string | null; collection: string | null }>(
      joinCollections
        ? `SELECT e.id AS rowid, e.embedding_id, e.created_at, c.name AS collection
           FROM embeddings e LEFT JOIN segments s ON s.id = e.segment_id LEFT JOIN collections c ON c.id = s.collection
           ORDER BY e.id`
        : `SELECT e.id AS rowid, e.embedding_id, e.created_at, NULL AS collection FROM embeddings e ORDER BY e.id`,
    )
    .all();
  const byRowid = new Map<number, ChromaRecord>();
  for (const r of rows)
    byRowid.set(r.rowid, { ...r, created_at: r.created_at == null ? null : String(r.created_at), document: null, metadata: {} });

  const valueColumns = (table: string) => {
    const cols = sqlite.columns(table);
    return ['string_value', 'int_value', 'float_value', 'bool_value'].filter((c) => cols.has(c));
  };
  type ValueRow = {
    id: number;
    key: string;
    string_value?: string | null;
    int_value?: number | bigint | null;
    float_value?: number | null;
    bool_value?: number | null;
  };
  const metaValueOf = (r: ValueRow): MetaValue => {
    if (r.bool_value != null) return !!r.bool_value;
    if (r.int_value != null) return Number(r.int_value);
    if (r.float_value != null) return r.float_value;
    return r.string_value ?? null;
  };

  const single = db.prepare<[], ValueRow>(`SELECT id, key, ${valueColumns('embedding_metadata').join(', ')} FROM embedding_metadata`).all();
  for (const r of single) {
    const rec = byRowid.get(r.id);
    if (!rec) continue;
    if (r.key === DOCUMENT_KEY) rec.document = typeof r.string_value === 'string' ? r.string_value : null;
    else if (!r.key.startsWith('chroma:')) rec.metadata[r.key] = metaValueOf(r);
  }
  if (tables.has('embedding_metadata_array')) {
    const cols = valueColumns('embedding_metadata_array');
    if (cols.length) {
      for (const r of db.prepare<[], ValueRow>(`SELECT id, key, ${cols.join(', ')} FROM embedding_metadata_array ORDER BY rowid`).all()) {
        const rec = byRowid.get(r.id);
        if (!rec || r.key.startsWith('chroma:')) continue;
        const current = rec.metadata[r.key];
        rec.metadata[r.key] = [...(Array.isArray(current) ? current : current == null ? [] : [current]), metaValueOf(r)];
      }
    }
  }
  // Older stores (and some writers) keep the document only in the full-text table.
  const missingDocs = [...byRowid.values()].some((r) => r.document == null);
  if (missingDocs && tables.has('embedding_fulltext_search')) {
    try {
      for (const r of db
        .prepare<[], { rowid: number; string_value: string | null }>('SELECT rowid, string_value FROM embedding_fulltext_search')
        .all()) {
        const rec = byRowid.get(r.rowid);
        if (rec && rec.document == null && typeof r.string_value === 'string') rec.document = r.string_value;
      }
    } catch {
      // An FTS5 tokenizer this SQLite does not know: documents stay as the metadata had them.
    }
  }
  return [...byRowid.values()];
}

function groupIntoItems(records: ChromaRecord[]): SourceItem[] {
  const groups = new Map<string, ChromaRecord[]>();
  for (const r of records) {
    const key = str(r.metadata['item_id']) ?? r.embedding_id;
    const list = groups.get(key) ?? [];
    list.push(r);
    groups.set(key, list);
  }
  const items: SourceItem[] = [];
  for (const [id, recs] of groups) {
    recs.sort((a, b) => Number(a.metadata['chunk_index'] ?? 0) - Number(b.metadata['chunk_index'] ?? 0) || a.rowid - b.rowid);
    const first = recs[0]!;
    const meta = (k: string) => recs.map((r) => r.metadata[k]).find((v) => v != null && v !== '');
    const createdAt = parseTimestamp(meta('created_at')) ?? parseTimestamp(first.created_at);
    const filename = basename(str(meta('filename'))) ?? basename(str(meta('image_url')));
    const warnings: string[] = [];
    const raw = analysisFrom(recs, meta, warnings);
    items.push({
      source_id: id,
      original_filename: str(meta('original_filename')) ?? filename,
      mime_type: str(meta('mime_type')),
      file_size: null,
      created_at: createdAt,
      image_names: [...new Set([filename, `${id}.jpg`, `${id}.jpeg`, `${id}.png`, `${id}.webp`].filter((n): n is string => !!n))],
      analyses: [
        {
          source_id: null,
          version: 1,
          raw,
          provider: CHROMA_PROVIDER,
          model: first.collection ?? 'chroma',
          trace_id: null,
          created_at: createdAt,
        },
      ],
      warnings,
    });
  }
  return items;
}

/** The analysis of one item: its stored `raw_response` if valid JSON, else what the metadata has. */
function analysisFrom(recs: ChromaRecord[], meta: (k: string) => MetaValue | MetaValue[] | undefined, warnings: string[]): unknown {
  const rawText = meta('raw_response');
  if (typeof rawText === 'string') {
    try {
      const parsed: unknown = JSON.parse(rawText);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed;
    } catch {
      warnings.push('raw_response metadata is not valid JSON: the analysis was rebuilt from the other metadata');
    }
  }
  const documents = [...new Set(recs.map((r) => r.document?.trim()).filter((d): d is string => !!d))];
  const text = (k: string) => {
    const v = meta(k);
    return typeof v === 'string' && v.trim() ? v.trim() : null;
  };
  const firstLine =
    documents[0]
      ?.split('\n')
      .find((l) => l.trim())
      ?.trim() ?? null;
  const category = text('category');
  if (!category) warnings.push('no category in the Chroma metadata: filed under "Uncategorized"');
  const summary = text('summary') ?? (documents.length ? documents.join('\n').slice(0, 4000) : null);
  const extracted = list(meta('extracted_text'));
  return {
    category: category ?? 'Uncategorized',
    subcategories: list(meta('subcategories')),
    headline: text('headline') ?? (firstLine ? firstLine.slice(0, 200) : ''),
    summary: summary ?? '',
    media_metadata: {
      original_poster: text('original_poster'),
      tagged_accounts: list(meta('tagged_accounts')),
      location_tags: list(meta('location_tags')),
      audio_source: text('audio_source'),
      hashtags: list(meta('hashtags')),
    },
    image_details: {
      // The document is collections-local's flat text of the whole analysis: kept as the text
      // of the item when the metadata has no extracted text, so search finds every word of it.
      extracted_text: extracted.length ? extracted : documents.filter((d) => d !== summary),
      objects: list(meta('objects')),
      themes: list(meta('themes')),
      emotions: list(meta('emotions')),
      vibes: list(meta('vibes')),
      likely_source: text('likely_source'),
      key_interest: text('key_interest'),
      visual_hierarchy: list(meta('visual_hierarchy')),
    },
  };
}

/** A list from Chroma metadata: a real list (1.x), a JSON array string, or comma-separated text. */
function list(v: MetaValue | MetaValue[] | undefined): string[] {
  if (v == null) return [];
  if (Array.isArray(v)) return v.filter((x) => x != null).map(String);
  if (typeof v !== 'string') return [String(v)];
  const t = v.trim();
  if (t.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(t);
      if (Array.isArray(parsed)) return parsed.filter((x) => x != null).map(String);
    } catch {
      // not JSON: split below
    }
  }
  return t
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}
