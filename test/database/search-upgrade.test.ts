import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGliteDatabase } from '../../src/adapters/database/pglite.js';
import { listMigrations, migrate } from '../../src/adapters/database/migrate.js';
import { normalizeText } from '../../src/shared/text/analyze.js';

/**
 * A collection written before migrations 0007–0016 (doc_length, head_df, the poster's words,
 * site names, currency words, the video's sound, the visual hierarchy, words without their marks):
 * upgrading must fill them in for the rows already there, as a rebuild would.
 */
let db: PGliteDatabase;
const USER = 'upgrade-user';
const item = randomUUID();

beforeAll(async () => {
  db = await PGliteDatabase.open();
  // Apply the migrations up to 0006 by hand, recorded as migrate() records them.
  await db.query(`CREATE TABLE schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
  for (const m of (await listMigrations()).filter((x) => x.version < '0007')) {
    await db.query(m.sql);
    await db.query('INSERT INTO schema_migrations (version) VALUES ($1)', [m.version]);
  }
  // A row as the code of that time wrote it: no poster in the searchable text.
  const analysis = {
    category: 'Travel',
    subcategories: [],
    headline: 'Machiya townhouse stay',
    summary: 'Check-in message with the door code.',
    media_metadata: {
      original_poster: 'Zorblatt Lodging',
      tagged_accounts: ['quendahost'],
      location_tags: [],
      audio_source: 'Quillon Nocturne - @Varrel',
      hashtags: [],
    },
    image_details: {
      extracted_text: ['Door code 1234'],
      objects: [],
      themes: [],
      emotions: [],
      vibes: [],
      likely_source: null,
      key_interest: null,
      visual_hierarchy: ['Caption about Vellicott magazine picks'],
    },
  };
  await db.query(
    `INSERT INTO items (id, user_id, filename, original_filename, mime_type, file_size, sha256, original_key, status)
     VALUES ($1, $2, 'a.jpg', 'a.jpg', 'image/jpeg', 1, $3, 'k', 'ready')`,
    [item, USER, `sha-${item}`],
  );
  const a = await db.query<{ id: string }>(
    `INSERT INTO analyses (id, item_id, user_id, version, category, headline, summary, raw, provider, model)
     VALUES ($4, $1, $2, 1, 'Travel', $5, $6, $3::jsonb, 'test', 'test') RETURNING id`,
    [item, USER, JSON.stringify(analysis), randomUUID(), analysis.headline, analysis.summary],
  );
  await db.query(
    `INSERT INTO search_rows (item_id, user_id, analysis_id, category, document, tsv)
     VALUES ($1, $2, $3, 'Travel', 'Machiya townhouse stay Travel Door code 1234 www.Zorblattstays.com/door Cleaning fee ¥3,000',
       setweight(to_tsvector('english', 'Machiya townhouse stay Travel near Keiō Line'), 'A') || setweight(to_tsvector('english', 'Door code 1234 www.Zorblattstays.com/door Cleaning fee ¥3,000'), 'C'))`,
    [item, USER, a.rows[0]!.id],
  );
}, 60_000);
afterAll(async () => {
  await db?.close();
});

describe('upgrading a collection past 0007–0016', () => {
  it('fills doc_length, head_df, the poster words and site names in for rows already there', async () => {
    expect(await migrate(db)).toEqual(
      expect.arrayContaining([
        '0007_search_doc_length',
        '0008_search_headline_df',
        '0009_search_poster_terms',
        '0010_search_site_names',
        '0012_search_currency_words',
        '0013_search_audio_source',
        '0015_search_visual_hierarchy',
        '0016_search_fold_marks',
      ]),
    );
    const row = await db.query<{ doc_length: number; len: number; tsv: string }>(
      `SELECT doc_length, length(tsv) AS len, tsv::text AS tsv FROM search_rows WHERE item_id = $1`,
      [item],
    );
    expect(row.rows[0]!.tsv).toMatch(/'zorblatt':\d+A/);
    expect(row.rows[0]!.tsv).toMatch(/'quendahost':\d+C/);
    // Before 0010 the host was one token; now its name is a word of the text too.
    expect(row.rows[0]!.tsv).toMatch(/'zorblattstay':\d+C/); // stemmed, as a query's word is
    // Before 0012 a price in yen was only digits; now the currency is a word of the text.
    expect(row.rows[0]!.tsv).toMatch(/'yen':\d+C/);
    // Before 0013 the video's sound was in no field; now its words are the text's (C).
    expect(row.rows[0]!.tsv).toMatch(/'quillon':\d+C/);
    // Before 0015 the visual hierarchy was in no field; now its words are the rest's (D, which
    // Postgres prints as no letter).
    expect(row.rows[0]!.tsv).toMatch(/'vellicott':\d+( |$)/);
    // Before 0016 "Keiō" was 'keiō'; now it is 'keio', in the same class (A), as in a fresh row.
    expect(row.rows[0]!.tsv).toMatch(/'keio':\d+A/);
    expect(row.rows[0]!.tsv).not.toContain('keiō');
    expect(row.rows[0]!.doc_length).toBe(row.rows[0]!.len);
    const terms = await db.query<{ term: string; df: number; head_df: number }>(
      `SELECT term, df, head_df FROM search_terms WHERE user_id = $1 AND term IN ('machiya', 'zorblatt', 'door', 'vellicott', 'keio') ORDER BY term`,
      [USER],
    );
    expect(terms.rows).toEqual([
      { term: 'door', df: 1, head_df: 0 },
      { term: 'keio', df: 1, head_df: 1 },
      { term: 'machiya', df: 1, head_df: 1 },
      { term: 'vellicott', df: 1, head_df: 0 },
      { term: 'zorblatt', df: 1, head_df: 1 },
    ]);
  });

  it('takes the marks off Latin letters only', async () => {
    const fold = async (t: string) => (await db.query<{ f: string }>('SELECT search_fold($1) AS f', [t])).rows[0]!.f;
    expect(await fold('Café Beyoncé, Keiō Line, Ñāṇamoli, Tōkyō, Hüller, São Paulo')).toBe(
      'Cafe Beyonce, Keio Line, Nanamoli, Tokyo, Huller, Sao Paulo',
    );
    // The same letters as the offline embedder's fold (analyze.ts), so a query's expansion words
    // and its lexemes agree: every Latin letter with a mark, lower-cased, folds alike in both.
    const letters: string[] = [];
    for (const [from, to] of [
      [0xc0, 0x24f],
      [0x1e00, 0x1eff],
    ] as const) {
      for (let c = from; c <= to; c++) {
        const ch = String.fromCodePoint(c);
        if (/\p{Script=Latin}/u.test(ch) && ch.normalize('NFD').length > 1) letters.push(ch);
      }
    }
    const folded = (await fold(letters.join(' '))).toLowerCase().split(' ');
    expect(letters.filter((ch, i) => folded[i] !== normalizeText(ch))).toEqual([]);
    // Marks on other scripts carry meaning: "パン" is not "ハン".
    expect(await fold('パン屋 서울 ¥3,000')).toBe('パン屋 서울 ¥3,000');
  });

  it('names the currency of a price, not a kanji of a place name or a dollar sign in code', async () => {
    const words = async (t: string) =>
      (await db.query<{ w: string }>('SELECT search_currency_words($1) AS w', [t])).rows[0]!.w.split(' ').filter(Boolean);
    expect(await words('Karaki mokkou ¥1,650- walk-in')).toEqual(['yen']);
    expect(await words('入館料 1,200円')).toEqual(['yen']);
    expect(await words('Admission 4800 JPY ~ $46.40 CAD')).toEqual(['yen', 'dollar']);
    expect(await words('Tteokbokki ₩4,500 / 8000원')).toEqual(['won']);
    expect(await words('€12 entry, £8 in London, 200฿ massage')).toEqual(['euro', 'pound', 'baht']);
    expect(await words('円山公園 in Kyoto')).toEqual([]); // Maruyama Park: 円 is not a price here
    expect(await words('export PATH=$HOME/bin')).toEqual([]);
  });
});
