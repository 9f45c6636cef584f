import type { Queryable } from '../ports/database.js';
import type { Item, ItemStatus, NearDuplicate, PipelineStep } from '../domain/item.js';

/**
 * SQL for items. Every statement takes the owner's user id and filters on it: a caller can
 * never read or change another user's row, whatever id it sends.
 */
const columns = (t = 'items') =>
  `${t}.id::text AS id, ${t}.user_id, ${t}.filename, ${t}.original_filename, ${t}.mime_type,
   ${t}.file_size::float8 AS file_size, ${t}.width, ${t}.height, ${t}.sha256, ${t}.original_key,
   ${t}.thumbnail_key, ${t}.status, ${t}.error, ${t}.failed_step, ${t}.attempts, ${t}.captured_at,
   ${t}.gps_latitude, ${t}.gps_longitude, ${t}.created_at, ${t}.updated_at`;
const COLUMNS = columns();

/** The category of an item's live (highest-version) analysis, as a scalar subquery. */
const LATEST_CATEGORY = (t: string) =>
  `(SELECT x.category FROM analyses x WHERE x.user_id = ${t}.user_id AND x.item_id = ${t}.id
    ORDER BY x.version DESC LIMIT 1)`;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Ids come from URLs: anything that is not a uuid cannot name an item (404, not a SQL error). */
export const isUuid = (id: string) => UUID_RE.test(id);

export interface NewItem {
  id: string;
  user_id: string;
  filename: string;
  original_filename: string;
  mime_type: string;
  file_size: number;
  sha256: string;
  original_key: string;
  width?: number | null;
  height?: number | null;
  /** Perceptual hash, 64 '0'/'1' characters. */
  phash?: string | null;
}

export class ItemsRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * Inserts the item unless the user already has these bytes; returns the row that now holds
   * them and whether it was created by this call.
   */
  async insertOrGetDuplicate(item: NewItem): Promise<{ item: Item; created: boolean }> {
    const inserted = await this.db.query<Item>(
      `INSERT INTO items (id, user_id, filename, original_filename, mime_type, file_size, sha256,
         original_key, width, height, phash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::bit(64))
       ON CONFLICT (user_id, sha256) DO NOTHING
       RETURNING ${COLUMNS}`,
      [
        item.id,
        item.user_id,
        item.filename,
        item.original_filename,
        item.mime_type,
        item.file_size,
        item.sha256,
        item.original_key,
        item.width ?? null,
        item.height ?? null,
        item.phash ?? null,
      ],
    );
    if (inserted.rows[0]) return { item: inserted.rows[0], created: true };
    const existing = await this.findBySha256(item.user_id, item.sha256);
    if (!existing) throw new Error('duplicate item vanished while uploading');
    return { item: existing, created: false };
  }

  async findBySha256(userId: string, sha256: string): Promise<Item | null> {
    const r = await this.db.query<Item>(`SELECT ${COLUMNS} FROM items WHERE user_id = $1 AND sha256 = $2`, [userId, sha256]);
    return r.rows[0] ?? null;
  }

  /** By the stored file name (`{id}.{ext}`): collections-local's image URLs name files. */
  async findByFilename(userId: string, filename: string): Promise<Item | null> {
    const r = await this.db.query<Item>(`SELECT ${COLUMNS} FROM items WHERE user_id = $1 AND filename = $2`, [userId, filename]);
    return r.rows[0] ?? null;
  }

  async get(userId: string, id: string): Promise<Item | null> {
    if (!isUuid(id)) return null;
    const r = await this.db.query<Item>(`SELECT ${COLUMNS} FROM items WHERE user_id = $1 AND id = $2`, [userId, id]);
    return r.rows[0] ?? null;
  }

  async list(
    userId: string,
    opts: { status?: ItemStatus; category?: string; date_from?: string; date_to?: string; limit: number; offset: number },
  ): Promise<{ items: (Item & { category: string | null; headline: string | null })[]; total: number }> {
    const where = ['i.user_id = $1'];
    const params: unknown[] = [userId];
    if (opts.status) {
      params.push(opts.status);
      where.push(`i.status = $${params.length}`);
    }
    if (opts.category) {
      params.push(opts.category.toLowerCase());
      where.push(`lower(${LATEST_CATEGORY('i')}) = $${params.length}`);
    }
    if (opts.date_from) {
      params.push(opts.date_from);
      where.push(`i.created_at >= $${params.length}::date`);
    }
    if (opts.date_to) {
      params.push(opts.date_to);
      where.push(`i.created_at < $${params.length}::date + 1`);
    }
    const filter = where.join(' AND ');
    // Page first (served by items_user_created_idx), then one indexed lookup per row of the
    // page for its category and headline: the latest analysis is never joined against the whole collection
    // unless the caller filters by category.
    const [total, rows] = await Promise.all([
      this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM items i WHERE ${filter}`, params),
      this.db.query<Item & { category: string | null; headline: string | null }>(
        `SELECT ${columns('i')}, latest.category, latest.headline
         FROM (SELECT * FROM items i WHERE ${filter}
               ORDER BY i.created_at DESC, i.id DESC
               LIMIT $${params.length + 1} OFFSET $${params.length + 2}) i
         LEFT JOIN LATERAL (
           SELECT x.category, x.headline FROM analyses x WHERE x.user_id = i.user_id AND x.item_id = i.id
           ORDER BY x.version DESC LIMIT 1
         ) latest ON true
         ORDER BY i.created_at DESC, i.id DESC`,
        [...params, opts.limit, opts.offset],
      ),
    ]);
    return { items: rows.rows, total: total.rows[0]?.n ?? 0 };
  }

  async count(userId: string): Promise<number> {
    const r = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM items WHERE user_id = $1', [userId]);
    return r.rows[0]?.n ?? 0;
  }

  /** How many of the user's items have each category (of their live analysis), most first. */
  async categoryCounts(userId: string): Promise<{ category: string; count: number }[]> {
    const r = await this.db.query<{ category: string; count: number }>(
      `SELECT latest.category, count(*)::int AS count
       FROM items i
       JOIN LATERAL (
         SELECT x.category FROM analyses x WHERE x.user_id = i.user_id AND x.item_id = i.id
         ORDER BY x.version DESC LIMIT 1
       ) latest ON true
       WHERE i.user_id = $1
       GROUP BY latest.category
       ORDER BY count DESC, latest.category`,
      [userId],
    );
    return r.rows;
  }

  async countByStatus(userId: string): Promise<Record<string, number>> {
    const r = await this.db.query<{ status: string; n: number }>(
      'SELECT status, count(*)::int AS n FROM items WHERE user_id = $1 GROUP BY status',
      [userId],
    );
    return Object.fromEntries(r.rows.map((x) => [x.status, x.n]));
  }

  async setStatus(userId: string, id: string, status: ItemStatus): Promise<void> {
    await this.db.query(
      `UPDATE items SET status = $3, error = NULL, failed_step = NULL, updated_at = now()
       WHERE user_id = $1 AND id = $2`,
      [userId, id, status],
    );
  }

  async markFailed(userId: string, id: string, step: PipelineStep, error: string): Promise<void> {
    await this.db.query(
      `UPDATE items SET status = 'failed', failed_step = $3, error = $4, updated_at = now()
       WHERE user_id = $1 AND id = $2`,
      [userId, id, step, error.slice(0, 2000)],
    );
  }

  /**
   * Every user's direct uploads still waiting for their bytes (placeholder sha256, status
   * uploaded) created before `before`: failed at process_image with `error`. Maintenance, not a
   * user request, hence across users. Returns how many.
   */
  async failAbandonedUploads(before: Date, error: string): Promise<number> {
    const { rows } = await this.db.query<{ id: string }>(
      `UPDATE items SET status = 'failed', failed_step = 'process_image', error = $2, updated_at = now()
       WHERE status = 'uploaded' AND sha256 LIKE 'pending:%' AND created_at < $1
       RETURNING id`,
      [before.toISOString(), error],
    );
    return rows.length;
  }

  /**
   * A direct upload's bytes have arrived: the real hash, size and type replace the placeholder.
   * Only while the row still holds `placeholder` (a duplicate delivery finds it settled). A
   * unique violation (23505) means another item of the user has these bytes.
   */
  async settleUpload(
    userId: string,
    id: string,
    placeholder: string,
    facts: { sha256: string; fileSize: number; mimeType: string },
  ): Promise<void> {
    await this.db.query(
      `UPDATE items SET sha256 = $3, file_size = $4, mime_type = $5, updated_at = now()
       WHERE user_id = $1 AND id = $2 AND sha256 = $6`,
      [userId, id, facts.sha256, facts.fileSize, facts.mimeType, placeholder],
    );
  }

  async recordAttempt(userId: string, id: string): Promise<void> {
    await this.db.query('UPDATE items SET attempts = attempts + 1, updated_at = now() WHERE user_id = $1 AND id = $2', [userId, id]);
  }

  async saveProcessed(
    userId: string,
    id: string,
    p: {
      width: number;
      height: number;
      thumbnail_key: string;
      captured_at: string | null;
      gps: { latitude: number; longitude: number } | null;
      phash?: string | null;
    },
  ): Promise<boolean> {
    const r = await this.db.query(
      `UPDATE items SET width = $3, height = $4, thumbnail_key = $5, captured_at = $6,
         gps_latitude = $7, gps_longitude = $8, phash = coalesce($9::bit(64), phash), updated_at = now()
       WHERE user_id = $1 AND id = $2 RETURNING id`,
      [userId, id, p.width, p.height, p.thumbnail_key, p.captured_at, p.gps?.latitude ?? null, p.gps?.longitude ?? null, p.phash ?? null],
    );
    return r.rows.length > 0;
  }

  /**
   * The caller's items whose perceptual hash is within `maxDistance` bits of `phash` (other
   * than `exceptId`), closest first, with their live headline.
   */
  async nearDuplicates(
    userId: string,
    phash: string,
    exceptId: string,
    opts: { maxDistance: number; minFeatures: number },
    limit = 5,
  ): Promise<NearDuplicate[]> {
    const r = await this.db.query<NearDuplicate>(
      `SELECT i.id::text AS id, bit_count(i.phash # $2::bit(64))::int AS distance, i.thumbnail_key IS NOT NULL AS has_thumbnail,
         (SELECT x.headline FROM analyses x WHERE x.user_id = i.user_id AND x.item_id = i.id ORDER BY x.version DESC LIMIT 1) AS headline
       FROM items i
       WHERE i.user_id = $1 AND i.id <> $3::uuid AND i.phash IS NOT NULL AND bit_count(i.phash # $2::bit(64)) <= $4
         AND bit_count(i.phash) BETWEEN $6 AND 64 - $6
       ORDER BY distance, i.created_at DESC LIMIT $5`,
      [userId, phash, exceptId, opts.maxDistance, limit, opts.minFeatures],
    );
    return r.rows;
  }

  /** The item's perceptual hash, or null (not yet processed, or not the caller's). */
  async phashOf(userId: string, id: string): Promise<string | null> {
    if (!isUuid(id)) return null;
    const r = await this.db.query<{ phash: string | null }>('SELECT phash::text AS phash FROM items WHERE user_id = $1 AND id = $2', [
      userId,
      id,
    ]);
    return r.rows[0]?.phash ?? null;
  }

  /**
   * The caller's items nearest in meaning to item `id` (cosine over search-row embeddings of
   * the same model), with their live category and headline; empty when it has no embedding.
   */
  async similar(
    userId: string,
    id: string,
    limit: number,
  ): Promise<(Item & { category: string | null; headline: string | null; similarity: number })[]> {
    if (!isUuid(id)) return [];
    const r = await this.db.query<Item & { category: string | null; headline: string | null; similarity: number }>(
      `WITH me AS (
         SELECT embedding, embedding_model FROM search_rows WHERE user_id = $1 AND item_id = $2 AND embedding IS NOT NULL
       ), near AS (
         SELECT s.item_id, 1 - (s.embedding <=> me.embedding) AS similarity
         FROM search_rows s, me
         WHERE s.user_id = $1 AND s.item_id <> $2 AND s.embedding_model = me.embedding_model AND s.embedding IS NOT NULL
         ORDER BY s.embedding <=> me.embedding LIMIT $3
       )
       SELECT ${columns('i')}, near.similarity::float8 AS similarity, latest.category, latest.headline
       FROM near JOIN items i ON i.user_id = $1 AND i.id = near.item_id
       LEFT JOIN LATERAL (
         SELECT x.category, x.headline FROM analyses x WHERE x.user_id = i.user_id AND x.item_id = i.id ORDER BY x.version DESC LIMIT 1
       ) latest ON true
       ORDER BY near.similarity DESC, i.id`,
      [userId, id, limit],
    );
    return r.rows;
  }

  async delete(userId: string, id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const r = await this.db.query('DELETE FROM items WHERE user_id = $1 AND id = $2 RETURNING id', [userId, id]);
    return r.rows.length > 0;
  }

  /** Items the pipeline has not finished, across users, oldest first (resumed at start-up). */
  async listUnfinished(limit = 10_000): Promise<Item[]> {
    const r = await this.db.query<Item>(
      `SELECT ${COLUMNS} FROM items WHERE status IN ('uploaded', 'processing', 'analyzed')
       ORDER BY created_at ASC LIMIT $1`,
      [limit],
    );
    return r.rows;
  }
}
