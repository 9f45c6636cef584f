import type { Queryable } from '../ports/database.js';
import type { Analysis } from '../domain/analysis.js';
import { flatDocument } from '../domain/analysis.js';

/**
 * The per-item search row: the flat document, a weighted tsvector and the embedding.
 * Weights put what a person remembers best first: A headline and category, B summary,
 * subcategories and key interest, C text in the image, places, hashtags, tagged accounts and
 * the video's sound, D the rest (themes, objects, emotions, vibes and the visual hierarchy,
 * migration 0015); the poster joins A.
 */
export function weightedFields(a: Analysis) {
  const join = (xs: (string | null | undefined)[]) => xs.filter(Boolean).join(' \n ');
  return {
    // Who posted it is an identity, like the headline: often the shop's or the place's own
    // account, the name people remember ("kumo machiya" was only there). Tagged accounts are
    // text about it. Migration 0009 added both to rows written before.
    a: join([a.headline, a.category, a.media_metadata.original_poster]),
    b: join([a.summary, a.subcategories.join(', '), a.image_details.key_interest]),
    c: join([
      a.image_details.extracted_text.join(' \n '),
      a.media_metadata.location_tags.join(', '),
      a.media_metadata.hashtags.join(' '),
      a.media_metadata.tagged_accounts.join(' '),
      // The video's sound: a song people remember, often shared by several posts (migration 0013).
      a.media_metadata.audio_source,
    ]),
    d: join([
      a.image_details.themes.join(', '),
      a.image_details.objects.join(', '),
      a.image_details.emotions.join(', '),
      a.image_details.vibes.join(', '),
      a.image_details.visual_hierarchy.join(', '),
    ]),
  };
}

/**
 * One field's weighted tsvector: its words, plus the site names in its web addresses
 * (search_site_names, migration 0010: Postgres indexes "useyourcredits.com" as one token) and
 * the currencies its prices are in (search_currency_words, migration 0012: "¥4,950" → "yen"),
 * with the marks off Latin letters (search_fold, migration 0016: "Keiō" is found by "keio"; the
 * query is folded alike).
 */
const fieldVector = (param: number, weight: 'A' | 'B' | 'C' | 'D') =>
  `setweight(to_tsvector('english', search_fold($${param} || ' ' || search_site_names($${param}) || ' ' || search_currency_words($${param}))), '${weight}')`;

export const toVectorLiteral = (v: number[]) => `[${v.join(',')}]`;

export class SearchRowsRepository {
  constructor(private readonly db: Queryable) {}

  async upsert(row: {
    userId: string;
    itemId: string;
    analysisId: string;
    analysis: Analysis;
    embedding: number[];
    embeddingModel: string;
    /** Embedder.revision (null: the embedder has none). */
    embedderRevision: string | null;
  }): Promise<void> {
    const f = weightedFields(row.analysis);
    await this.db.query(
      `INSERT INTO search_rows (item_id, user_id, analysis_id, category, document, tsv, embedding,
         embedding_model, embedder_revision, updated_at)
       VALUES ($1, $2, $3, $4, $5,
         ${fieldVector(6, 'A')} || ${fieldVector(7, 'B')} || ${fieldVector(8, 'C')} || ${fieldVector(9, 'D')},
         $10::vector, $11, $12, now())
       ON CONFLICT (item_id) DO UPDATE SET analysis_id = EXCLUDED.analysis_id,
         category = EXCLUDED.category, document = EXCLUDED.document, tsv = EXCLUDED.tsv,
         embedding = EXCLUDED.embedding, embedding_model = EXCLUDED.embedding_model,
         embedder_revision = EXCLUDED.embedder_revision, updated_at = now()
       WHERE search_rows.user_id = EXCLUDED.user_id`,
      [
        row.itemId,
        row.userId,
        row.analysisId,
        row.analysis.category,
        flatDocument(row.analysis),
        f.a,
        f.b,
        f.c,
        f.d,
        toVectorLiteral(row.embedding),
        row.embeddingModel,
        row.embedderRevision,
      ],
    );
  }

  async get(userId: string, itemId: string) {
    const r = await this.db.query<{
      analysis_id: string;
      embedding_model: string | null;
      embedder_revision: string | null;
      document: string;
    }>(
      `SELECT analysis_id::text AS analysis_id, embedding_model, embedder_revision, document
       FROM search_rows WHERE user_id = $1 AND item_id = $2`,
      [userId, itemId],
    );
    return r.rows[0] ?? null;
  }

  /**
   * Ready items whose row was embedded by `embeddingModel` in another revision than `revision`
   * (or in none recorded), oldest first: what the start-up refresh re-embeds.
   */
  async listOutdatedRevision(embeddingModel: string, revision: string, userId?: string) {
    const r = await this.db.query<{ item_id: string; user_id: string }>(
      `SELECT i.id::text AS item_id, i.user_id FROM items i
       JOIN search_rows s ON s.user_id = i.user_id AND s.item_id = i.id
       WHERE i.status IN ('ready', 'analyzed') AND s.embedding_model = $1
         AND s.embedder_revision IS DISTINCT FROM $2 AND ($3::text IS NULL OR i.user_id = $3)
       ORDER BY i.created_at`,
      [embeddingModel, revision, userId ?? null],
    );
    return r.rows;
  }

  /** Every analysed item (optionally one user's), oldest first: what `reindex --all` re-embeds. */
  async listIndexable(userId?: string) {
    const r = await this.db.query<{ item_id: string; user_id: string }>(
      `SELECT id::text AS item_id, user_id FROM items WHERE status IN ('ready', 'analyzed')
       AND ($1::text IS NULL OR user_id = $1) ORDER BY created_at`,
      [userId ?? null],
    );
    return r.rows;
  }

  /** Marks rows as made by no model, so a plain reindex picks them up. */
  async markAllStale(userId?: string): Promise<void> {
    await this.db.query('UPDATE search_rows SET embedding_model = NULL WHERE ($1::text IS NULL OR user_id = $1)', [userId ?? null]);
  }

  async listStale(embeddingModel: string, userId?: string) {
    const r = await this.db.query<{ item_id: string; user_id: string }>(
      `SELECT i.id::text AS item_id, i.user_id FROM items i
       LEFT JOIN search_rows s ON s.user_id = i.user_id AND s.item_id = i.id
       WHERE i.status IN ('ready', 'analyzed')
         AND ($2::text IS NULL OR i.user_id = $2)
         AND (s.item_id IS NULL OR s.embedding_model IS DISTINCT FROM $1 OR s.embedding IS NULL)
       ORDER BY i.created_at`,
      [embeddingModel, userId ?? null],
    );
    return r.rows;
  }

  async countByModel(userId: string) {
    const r = await this.db.query<{ embedding_model: string | null; n: number }>(
      `SELECT embedding_model, count(*)::int AS n FROM search_rows WHERE user_id = $1
       GROUP BY embedding_model`,
      [userId],
    );
    return r.rows;
  }
}
