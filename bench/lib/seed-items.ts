import type { Analysis } from '../../src/domain/analysis.js';

/** One item as the pipeline leaves it: `n` orders them (item n was created n seconds ago). */
export interface ReadyItemRow {
  id: string;
  n: number;
  analysis: Analysis;
}

/**
 * Inserts `rows` as ready items of `userId` with one analysis each, in two statements (the
 * benchmarks seed hundreds to thousands of rows; one INSERT per row would dominate the setup).
 * Object keys point at PNG originals and WebP thumbnails; storing the bytes is the caller's.
 */
export async function insertReadyItems(
  db: { query: (sql: string, params?: unknown[]) => Promise<unknown> },
  userId: string,
  rows: readonly ReadyItemRow[],
  image: { width: number; height: number } = { width: 1170, height: 2532 },
): Promise<void> {
  await db.query(
    `INSERT INTO items (id, user_id, filename, original_filename, mime_type, file_size, sha256, original_key, thumbnail_key, width, height, status, created_at)
     SELECT x.id::uuid, $1, x.id || '.png', 'IMG_' || x.n || '.PNG', 'image/png', 300000, md5(x.id), $1 || '/originals/' || x.id || '.png',
            $1 || '/thumbnails/' || x.id || '.webp', $3, $4, 'ready', now() - (x.n || ' seconds')::interval
     FROM jsonb_to_recordset($2::jsonb) AS x(id text, n int)`,
    [userId, JSON.stringify(rows.map((r) => ({ id: r.id, n: r.n }))), image.width, image.height],
  );
  await db.query(
    `INSERT INTO analyses (id, item_id, user_id, version, category, subcategories, headline, summary, raw, provider, model)
     SELECT gen_random_uuid(), x.id::uuid, $1, 1, x.raw->>'category', ARRAY['bench'], x.raw->>'headline', x.raw->>'summary', x.raw, 'local', 'bench'
     FROM jsonb_to_recordset($2::jsonb) AS x(id text, raw jsonb)`,
    [userId, JSON.stringify(rows.map((r) => ({ id: r.id, raw: r.analysis })))],
  );
}
