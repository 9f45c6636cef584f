import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { solidImage } from '../helpers/images.js';

/**
 * Small inputs in collections-local's real formats, built per test (never copied from
 * ../shared: only the table definitions are collections-local's, data is made up here).
 */

/** collections-local's SQLite schema, as its `collections.db` defines it (FTS and embeddings included). */
export const COLLECTIONS_LOCAL_SCHEMA = `
CREATE TABLE items (id TEXT PRIMARY KEY, filename TEXT NOT NULL, original_filename TEXT, file_path TEXT NOT NULL, file_size INTEGER, mime_type TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE analyses (id TEXT PRIMARY KEY, item_id TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 1, category TEXT, summary TEXT, raw_response TEXT, provider_used TEXT, model_used TEXT, trace_id TEXT, created_at TEXT NOT NULL, FOREIGN KEY (item_id) REFERENCES items(id) ON DELETE CASCADE);
CREATE INDEX idx_analyses_item_id ON analyses(item_id);
CREATE INDEX idx_analyses_category ON analyses(category);
CREATE VIRTUAL TABLE items_fts USING fts5(item_id UNINDEXED, content, tokenize='unicode61 remove_diacritics 2');
CREATE TABLE embeddings (id TEXT PRIMARY KEY, item_id TEXT NOT NULL, analysis_id TEXT NOT NULL, embedding_model TEXT NOT NULL, embedding_dimensions INTEGER NOT NULL, embedding_source TEXT NOT NULL, created_at TEXT NOT NULL, FOREIGN KEY (item_id) REFERENCES items(id) ON DELETE CASCADE, FOREIGN KEY (analysis_id) REFERENCES analyses(id) ON DELETE CASCADE);
CREATE INDEX idx_embeddings_item_id ON embeddings(item_id);
CREATE INDEX idx_embeddings_analysis_id ON embeddings(analysis_id);
`;

export interface FixtureAnalysis {
  id: string;
  version: number;
  /** An object (stored as JSON text) or the raw text itself (to test malformed JSON). */
  raw: Record<string, unknown> | string;
  provider: string;
  model: string;
  trace_id: string | null;
  created_at: string;
}

export interface FixtureItem {
  id: string;
  filename: string;
  original_filename: string;
  mime_type: string;
  created_at: string;
  /** null: the item's image is not written to the images folder. */
  imageSeed: number | null;
  analyses: FixtureAnalysis[];
}

export function analysisJson(title: string, extra: Partial<Record<string, unknown>> = {}): Record<string, unknown> {
  return {
    category: 'Travel',
    subcategories: ['Japan', 'Museums'],
    headline: title,
    summary: `${title}. Tickets cost 3200 JPY and it opens at 9:00.`,
    media_metadata: {
      original_poster: 'travelwithkai',
      tagged_accounts: ['@kai'],
      location_tags: ['Fukuoka, Japan'],
      audio_source: null,
      hashtags: ['#fukuoka'],
    },
    image_details: {
      extracted_text: [title, '3200 JPY', 'Open 9:00 - 18:00'],
      objects: ['phone screen'],
      themes: ['travel'],
      emotions: ['curiosity'],
      vibes: ['calm'],
      likely_source: 'Instagram',
      key_interest: `Visiting ${title}`,
      visual_hierarchy: ['title', 'price'],
    },
    ...extra,
  };
}

/** The three items most tests use: two with images (one with two analysis versions), one without. */
export function threeItems(): FixtureItem[] {
  return [
    {
      id: '11111111-1111-4111-8111-111111111111',
      filename: '11111111-1111-4111-8111-111111111111.jpg',
      original_filename: 'IMG_0001.jpg',
      mime_type: 'image/jpeg',
      created_at: '2025-12-01T10:00:00.123456',
      imageSeed: 11,
      analyses: [
        {
          id: 'aaaaaaaa-0000-4000-8000-000000000001',
          version: 1,
          raw: analysisJson('Kushida Shrine autumn festival in Hakata'),
          provider: 'anthropic',
          model: 'claude-sonnet-4-5',
          trace_id: '019b5d1e-966a-7e42-bb68-10857611a35d',
          created_at: '2025-12-01T10:00:05.500000',
        },
      ],
    },
    {
      id: '22222222-2222-4222-8222-222222222222',
      filename: '22222222-2222-4222-8222-222222222222.jpg',
      original_filename: 'IMG_0002.JPG',
      mime_type: 'image/jpeg',
      created_at: '2025-12-02T11:00:00.000000',
      imageSeed: 22,
      analyses: [
        {
          id: 'aaaaaaaa-0000-4000-8000-000000000002',
          version: 1,
          raw: analysisJson('Ramen stall first draft', { category: 'Food' }),
          provider: 'openai',
          model: 'gpt-4o',
          trace_id: null,
          created_at: '2025-12-02T11:00:03.000000',
        },
        {
          id: 'aaaaaaaa-0000-4000-8000-000000000003',
          version: 2,
          raw: analysisJson('Ichiran tonkotsu ramen counter seats in Tenjin', { category: 'Food' }),
          provider: 'anthropic',
          model: 'claude-sonnet-4-5',
          trace_id: 'trace-v2',
          created_at: '2025-12-03T09:30:00.000000',
        },
      ],
    },
    {
      id: '33333333-3333-4333-8333-333333333333',
      filename: '33333333-3333-4333-8333-333333333333.jpg',
      original_filename: 'IMG_0003.jpg',
      mime_type: 'image/jpeg',
      created_at: '2025-12-04T08:00:00.000000',
      imageSeed: null,
      analyses: [
        {
          id: 'aaaaaaaa-0000-4000-8000-000000000004',
          version: 1,
          raw: analysisJson('Perfume shop Le Labo Santal 33 price list', { category: 'Beauty' }),
          provider: 'anthropic',
          model: 'claude-sonnet-4-5',
          trace_id: 'trace-4',
          created_at: '2025-12-04T08:00:02.000000',
        },
      ],
    },
  ];
}

const rawText = (a: FixtureAnalysis) => (typeof a.raw === 'string' ? a.raw : JSON.stringify(a.raw));

/** Writes `images/{filename}` for the items that have an image (JPEG, unique bytes per seed). */
export async function writeImages(dir: string, items: FixtureItem[], nameOf: (i: FixtureItem) => string = (i) => i.filename) {
  await mkdir(dir, { recursive: true });
  for (const item of items) {
    if (item.imageSeed === null) continue;
    await writeFile(path.join(dir, nameOf(item)), await solidImage('jpeg', item.imageSeed, { width: 90, height: 160 }));
  }
}

/** A collections-local `collections.db` (with an `images/` folder beside it). */
export async function writeCollectionsLocalDb(dir: string, items: FixtureItem[]): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'collections.db');
  const db = new Database(file);
  try {
    db.exec(COLLECTIONS_LOCAL_SCHEMA);
    const insItem = db.prepare(
      'INSERT INTO items (id, filename, original_filename, file_path, file_size, mime_type, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insAnalysis = db.prepare(
      'INSERT INTO analyses (id, item_id, version, category, summary, raw_response, provider_used, model_used, trace_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insFts = db.prepare('INSERT INTO items_fts (item_id, content) VALUES (?, ?)');
    db.transaction(() => {
      for (const i of items) {
        insItem.run(i.id, i.filename, i.original_filename, `./data/images/${i.filename}`, 1234, i.mime_type, i.created_at, i.created_at);
        for (const a of i.analyses) {
          const obj = typeof a.raw === 'string' ? null : a.raw;
          insAnalysis.run(
            a.id,
            i.id,
            a.version,
            (obj?.['category'] as string) ?? null,
            (obj?.['summary'] as string) ?? null,
            rawText(a),
            a.provider,
            a.model,
            a.trace_id,
            a.created_at,
          );
          insFts.run(i.id, rawText(a));
        }
      }
    })();
  } finally {
    db.close();
  }
  await writeImages(path.join(dir, 'images'), items);
  return file;
}

/** collections-local's JSON export of the same rows (`database.json`). */
export async function writeExportJson(dir: string, items: FixtureItem[]): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'database.json');
  const json = {
    exported_at: '2025-12-28T05:59:31.713819+00:00',
    database_path: './data/collections.db',
    tables: {
      items: items.map((i) => ({
        id: i.id,
        filename: i.filename,
        original_filename: i.original_filename,
        file_path: `./data/images/${i.filename}`,
        file_size: 1234,
        mime_type: i.mime_type,
        created_at: i.created_at,
        updated_at: i.created_at,
      })),
      analyses: items.flatMap((i) =>
        i.analyses.map((a) => ({
          id: a.id,
          item_id: i.id,
          version: a.version,
          category: typeof a.raw === 'string' ? null : a.raw['category'],
          summary: typeof a.raw === 'string' ? null : a.raw['summary'],
          raw_response: rawText(a),
          provider_used: a.provider,
          model_used: a.model,
          trace_id: a.trace_id,
          created_at: a.created_at,
        })),
      ),
    },
  };
  await writeFile(file, JSON.stringify(json, null, 2));
  await writeImages(path.join(dir, 'images'), items);
  return file;
}

export interface GoldenEntry {
  item_id: string;
  reviewed_at: string;
  headline: string;
  imageSeed: number | null;
  original_filename?: string;
}

/** A golden set (`analyses.json` + `images/{item_id}.jpg`). */
export async function writeGolden(dir: string, entries: GoldenEntry[]): Promise<string> {
  await mkdir(path.join(dir, 'images'), { recursive: true });
  const file = path.join(dir, 'analyses.json');
  const json = {
    metadata: { version: '1.0', created_at: '2025-12-13T22:32:00.000000Z', total_items: entries.length },
    golden_analyses: entries.map((e) => ({
      item_id: e.item_id,
      reviewed_at: e.reviewed_at,
      source_analyses_count: 2,
      source_analysis_ids: ['x', 'y'],
      ...analysisJson(e.headline),
      ...(e.headline === '' ? { summary: '' } : {}),
      ...(e.original_filename ? { original_filename: e.original_filename } : {}),
    })),
  };
  await writeFile(file, JSON.stringify(json, null, 2));
  for (const e of entries) {
    if (e.imageSeed !== null)
      await writeFile(path.join(dir, 'images', `${e.item_id}.jpg`), await solidImage('jpeg', e.imageSeed, { width: 80, height: 140 }));
  }
  return file;
}

/**
 * Chroma's SQLite schema as a 0.5.x PersistentClient leaves it (sysdb + metadb migrations
 * applied): tenants/databases/collections/segments, embeddings, embedding_metadata with
 * bool_value, max_seq_id, the WAL tables and the trigram FTS5 table.
 */
export const CHROMA_SCHEMA = `
CREATE TABLE migrations (dir TEXT NOT NULL, version INTEGER NOT NULL, filename TEXT NOT NULL, sql TEXT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (dir, version));
CREATE TABLE embeddings_queue (seq_id INTEGER PRIMARY KEY, created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, operation INTEGER NOT NULL, topic TEXT NOT NULL, id TEXT NOT NULL, vector BLOB, encoding TEXT, metadata TEXT);
CREATE TABLE embeddings_queue_config (id INTEGER PRIMARY KEY, config_json_str TEXT);
CREATE TABLE tenants (id TEXT PRIMARY KEY, UNIQUE (id));
CREATE TABLE databases (id TEXT PRIMARY KEY, name TEXT NOT NULL, tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE, UNIQUE (tenant_id, name));
CREATE TABLE collections (id TEXT PRIMARY KEY, name TEXT NOT NULL, dimension INTEGER, database_id TEXT NOT NULL REFERENCES databases(id) ON DELETE CASCADE, config_json_str TEXT, UNIQUE (name, database_id));
CREATE TABLE collection_metadata (collection_id TEXT REFERENCES collections(id) ON DELETE CASCADE, key TEXT NOT NULL, str_value TEXT, int_value INTEGER, float_value REAL, bool_value INTEGER, PRIMARY KEY (collection_id, key));
CREATE TABLE segments (id TEXT PRIMARY KEY, type TEXT NOT NULL, scope TEXT NOT NULL, collection TEXT REFERENCES collections(id) NOT NULL);
CREATE TABLE segment_metadata (segment_id TEXT REFERENCES segments(id) ON DELETE CASCADE, key TEXT NOT NULL, str_value TEXT, int_value INTEGER, float_value REAL, bool_value INTEGER, PRIMARY KEY (segment_id, key));
CREATE TABLE embeddings (id INTEGER PRIMARY KEY, segment_id TEXT NOT NULL, embedding_id TEXT NOT NULL, seq_id BLOB NOT NULL, created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, UNIQUE (segment_id, embedding_id));
CREATE TABLE embedding_metadata (id INTEGER REFERENCES embeddings(id) ON DELETE CASCADE NOT NULL, key TEXT NOT NULL, string_value TEXT, int_value INTEGER, float_value REAL, bool_value INTEGER, PRIMARY KEY (id, key));
CREATE INDEX embedding_metadata_int_value ON embedding_metadata (key, int_value) WHERE int_value IS NOT NULL;
CREATE INDEX embedding_metadata_float_value ON embedding_metadata (key, float_value) WHERE float_value IS NOT NULL;
CREATE INDEX embedding_metadata_string_value ON embedding_metadata (key, string_value) WHERE string_value IS NOT NULL;
CREATE TABLE max_seq_id (segment_id TEXT PRIMARY KEY, seq_id BLOB NOT NULL);
CREATE VIRTUAL TABLE embedding_fulltext_search USING fts5(string_value, tokenize='trigram');
`;

export interface ChromaRecord {
  /** Chroma's record id (LangChain makes a uuid4 per document). */
  id: string;
  document: string;
  metadata: Record<string, string | number | boolean>;
  /** Put the document only in the FTS table (as some writers do), not as chroma:document. */
  documentOnlyInFts?: boolean;
}

/**
 * A Chroma persistent directory (`chroma.sqlite3`; no HNSW files: they are not read), in WAL
 * mode when `wal` (the importer must then read it without leaving -shm/-wal files beside it).
 */
export async function writeChromaDir(
  dir: string,
  collection: string,
  records: ChromaRecord[],
  opts: { wal?: boolean } = {},
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const db = new Database(path.join(dir, 'chroma.sqlite3'));
  try {
    if (opts.wal) db.pragma('journal_mode = WAL');
    db.exec(CHROMA_SCHEMA);
    db.exec(`INSERT INTO tenants (id) VALUES ('default_tenant');
      INSERT INTO databases (id, name, tenant_id) VALUES ('00000000-0000-0000-0000-000000000000', 'default_database', 'default_tenant');`);
    const collectionId = '9a1c0d52-6d4e-4c43-9b0e-3c1f7d8a2b10';
    const metadataSegment = '6f3e1b2a-1c4d-4e5f-8a9b-0c1d2e3f4a5b';
    db.prepare(
      `INSERT INTO collections (id, name, dimension, database_id, config_json_str) VALUES (?, ?, 1024, '00000000-0000-0000-0000-000000000000', '{}')`,
    ).run(collectionId, collection);
    db.prepare(`INSERT INTO collection_metadata (collection_id, key, str_value) VALUES (?, 'hnsw:space', 'cosine')`).run(collectionId);
    db.prepare(
      `INSERT INTO segments (id, type, scope, collection) VALUES (?, 'urn:chroma:segment/vector/hnsw-local-persisted', 'VECTOR', ?)`,
    ).run('1b82dd6a-ee6e-4302-9bbd-b0d75325af01', collectionId);
    db.prepare(`INSERT INTO segments (id, type, scope, collection) VALUES (?, 'urn:chroma:segment/metadata/sqlite', 'METADATA', ?)`).run(
      metadataSegment,
      collectionId,
    );
    const insEmbedding = db.prepare('INSERT INTO embeddings (segment_id, embedding_id, seq_id, created_at) VALUES (?, ?, ?, ?)');
    const insMeta = db.prepare(
      'INSERT INTO embedding_metadata (id, key, string_value, int_value, float_value, bool_value) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const insFts = db.prepare('INSERT INTO embedding_fulltext_search (rowid, string_value) VALUES (?, ?)');
    db.transaction(() => {
      records.forEach((r, i) => {
        const seq = Buffer.alloc(8);
        seq.writeBigUInt64BE(BigInt(i + 1));
        const rowid = Number(insEmbedding.run(metadataSegment, r.id, seq, `2025-12-20 10:00:0${i % 10}`).lastInsertRowid);
        if (!r.documentOnlyInFts) insMeta.run(rowid, 'chroma:document', r.document, null, null, null);
        insFts.run(rowid, r.document);
        for (const [k, v] of Object.entries(r.metadata)) {
          if (typeof v === 'string') insMeta.run(rowid, k, v, null, null, null);
          else if (typeof v === 'boolean') insMeta.run(rowid, k, null, null, null, v ? 1 : 0);
          else if (Number.isInteger(v)) insMeta.run(rowid, k, null, v, null, null);
          else insMeta.run(rowid, k, null, null, v, null);
        }
      });
      db.prepare('INSERT INTO max_seq_id (segment_id, seq_id) VALUES (?, ?)').run(metadataSegment, records.length);
    })();
  } finally {
    db.close();
  }
  return dir;
}
