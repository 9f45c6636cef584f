/**
 * A synthetic but realistically shaped collection for search benchmarks: documents of 80–200
 * words drawn from a Zipf-distributed general vocabulary, topical words of ~40 topics (grouped
 * in categories), and a long tail of proper names (places, shops, people: the rare terms people
 * search for), with embeddings built from topic and sub-topic centroids plus noise and a shared
 * mean direction (real embedding spaces are anisotropic), L2-normalised.
 *
 * Deterministic: the same seed gives the same corpus, queries and vectors.
 */
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../src/ports/database.js';
import { weightedFields, toVectorLiteral } from '../../src/repositories/search-rows.js';
import { AnalysisSchema, flatDocument, type Analysis } from '../../src/domain/analysis.js';
import { CONCEPTS } from '../../src/shared/text/concepts.js';

/** mulberry32: small, fast, good enough for synthetic data. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const gauss = () => {
    const u = Math.max(next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  };
  return { next, gauss, int: (n: number) => Math.floor(next() * n) };
}
type Rng = ReturnType<typeof rng>;

/**
 * Samples ranks 0..n-1 with P(rank r) ∝ 1/(r+1+offset)^s (binary search over the CDF). An
 * offset drops the head of the distribution: English's most frequent words are stop words,
 * which to_tsvector removes, so the content words start lower down the curve.
 */
function zipf(n: number, s: number, offset = 0) {
  const cdf = new Float64Array(n);
  let acc = 0;
  for (let r = 0; r < n; r++) cdf[r] = acc += 1 / (r + 1 + offset) ** s;
  for (let r = 0; r < n; r++) cdf[r]! /= acc;
  return (r: Rng) => {
    const u = r.next();
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

const ONSETS = [
  'b',
  'c',
  'd',
  'f',
  'g',
  'h',
  'j',
  'k',
  'l',
  'm',
  'n',
  'p',
  'r',
  's',
  't',
  'v',
  'w',
  'z',
  'br',
  'ch',
  'cl',
  'dr',
  'fl',
  'gr',
  'pl',
  'sh',
  'st',
  'th',
  'tr',
];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'ai', 'ea', 'io', 'ou', 'y'];
const CODAS = ['', '', '', 'n', 'r', 'l', 's', 't', 'm', 'nd', 'rk', 'st', 'ng', 'x'];

/** Distinct pronounceable pseudo-words (2–4 syllables), so the English stemmer treats them as words. */
function makeWords(r: Rng, count: number, taken: Set<string>, minSyl = 2, maxSyl = 3) {
  const out: string[] = [];
  while (out.length < count) {
    const syl = minSyl + r.int(maxSyl - minSyl + 1);
    let w = '';
    for (let k = 0; k < syl; k++) w += ONSETS[r.int(ONSETS.length)]! + VOWELS[r.int(VOWELS.length)]!;
    w += CODAS[r.int(CODAS.length)]!;
    if (w.length < 4 || taken.has(w)) continue;
    taken.add(w);
    out.push(w);
  }
  return out;
}

const CATEGORIES = [
  'Food',
  'Travel',
  'Technology',
  'Beauty',
  'Fashion',
  'Fitness',
  'Home',
  'Finance',
  'Music',
  'Books',
  'Art',
  'Parenting',
];
const SOURCES = ['Instagram', 'TikTok', 'Safari', 'Twitter', 'Reddit', 'YouTube', 'Google Maps', null];

export interface CorpusOptions {
  dimensions: number;
  seed?: number;
  topics?: number;
  generalVocabulary?: number;
  topicWords?: number;
  names?: number;
}

export interface SyntheticDoc {
  id: string;
  topic: number;
  analysis: Analysis;
  embedding: Float32Array;
}

export interface SyntheticQuery {
  text: string;
  kind: 'common' | 'topical' | 'rare' | 'mixed' | 'long';
  embedding: number[];
}

/** Builds the vocabulary and the embedding space once; then documents and queries from them. */
export function createCorpus(opts: CorpusOptions) {
  const r = rng(opts.seed ?? 42);
  const D = opts.dimensions;
  const T = opts.topics ?? 40;
  const SUBS = 16;
  const taken = new Set<string>();
  const general = makeWords(r, opts.generalVocabulary ?? 4000, taken);
  // Each topic's most frequent words are real ones from the concept lexicon (so queries
  // exercise the concept expansion of BM25 as real ones do), the rest pseudo-words.
  const realWords = (t: number) => {
    const c = CONCEPTS[t % CONCEPTS.length];
    const firm = (c?.terms ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x && !x.startsWith('~'));
    return [...new Set(firm.flatMap((x) => x.toLowerCase().split(/[\s-]+/)).filter((w) => /^[a-z]{3,}$/.test(w)))].slice(0, 8);
  };
  const topicSize = opts.topicWords ?? 60;
  const topicWords = Array.from({ length: T }, (_, t) => {
    const real = realWords(t);
    return [...real, ...makeWords(r, topicSize - real.length, taken)];
  });
  const names = makeWords(r, opts.names ?? 20_000, taken, 2, 4).map((w) => w[0]!.toUpperCase() + w.slice(1));
  const generalRank = zipf(general.length, 1.05, 10);
  const topicRank = zipf(topicSize, 0.8);
  const nameRank = zipf(names.length, 0.9);
  const topicPick = zipf(T, 0.6);

  const unit = (v: Float64Array) => {
    let n = 0;
    for (const x of v) n += x * x;
    n = Math.sqrt(n) || 1;
    for (let i = 0; i < v.length; i++) v[i]! /= n;
    return v;
  };
  const randomUnit = () => unit(Float64Array.from({ length: D }, () => r.gauss()));
  const mean = randomUnit();
  const centroids = Array.from({ length: T }, () => randomUnit());
  const subCentroids = Array.from({ length: T }, () => Array.from({ length: SUBS }, () => randomUnit()));

  // Topical words and names carry meaning: each has its own direction, so documents (and
  // queries) sharing them are closer, as with a real text embedder.
  const meaningful = new Set<string>([...topicWords.flat(), ...names]);
  const wordVectors = new Map<string, Float64Array>();
  const wordVector = (w: string) => {
    let v = wordVectors.get(w);
    if (!v) wordVectors.set(w, (v = randomUnit()));
    return v;
  };

  /**
   * 0.5·mean + topic + 0.6·sub-topic + 0.3·second topic + 0.8·(unit sum of the text's
   * meaningful words) + Gaussian noise of the given norm, L2-normalised.
   */
  const embed = (topic: number, sub: number, second: number, text: string[], noise: number) => {
    const v = new Float64Array(D);
    const bag = new Float64Array(D);
    for (const w of new Set(text)) {
      if (!meaningful.has(w)) continue;
      const wv = wordVector(w);
      for (let i = 0; i < D; i++) bag[i]! += wv[i]!;
    }
    unit(bag);
    const c = centroids[topic]!;
    const s = subCentroids[topic]![sub]!;
    const c2 = centroids[second]!;
    const sigma = noise / Math.sqrt(D);
    for (let i = 0; i < D; i++) v[i] = 0.5 * mean[i]! + c[i]! + 0.6 * s[i]! + 0.3 * c2[i]! + 0.8 * bag[i]! + sigma * r.gauss();
    return unit(v);
  };

  const words = (n: number, topic: number, second: number, topical = 0.3) => {
    const out: string[] = [];
    for (let k = 0; k < n; k++) {
      const u = r.next();
      if (u < topical) out.push(topicWords[topic]![topicRank(r)]!);
      else if (u < topical + 0.05) out.push(topicWords[second]![topicRank(r)]!);
      else out.push(general[generalRank(r)]!);
    }
    return out;
  };
  const sentence = (ws: string[]) => (ws.length ? `${ws[0]![0]!.toUpperCase() + ws[0]!.slice(1)} ${ws.slice(1).join(' ')}` : '');

  function doc(): SyntheticDoc {
    const topic = topicPick(r);
    const second = r.int(T);
    const sub = r.int(SUBS);
    const total = 80 + r.int(121);
    const nNames = 1 + r.int(3);
    const docNames = Array.from({ length: nNames }, () => names[nameRank(r)]!);
    const headline = sentence([docNames[0]!, ...words(7 + r.int(5), topic, second, 0.5)]);
    const summaryWords = words(25 + r.int(20), topic, second);
    const rest = Math.max(10, total - summaryWords.length - 10);
    const textLines: string[] = [];
    const body = words(rest, topic, second);
    for (let k = 0; k < body.length; k += 8) textLines.push(body.slice(k, k + 8).join(' '));
    const analysis = AnalysisSchema.parse({
      category: CATEGORIES[topic % CATEGORIES.length],
      subcategories: [topicWords[topic]![r.int(5)]!, topicWords[topic]![5 + sub]!],
      headline,
      summary: `${sentence(summaryWords)} at ${docNames.join(' and ')}.`,
      media_metadata: {
        location_tags: docNames.slice(1),
        hashtags: words(2, topic, second, 0.7).map((w) => `#${w}`),
      },
      image_details: {
        extracted_text: textLines,
        objects: words(2, topic, second, 0.4),
        themes: [topicWords[topic]![topicRank(r)]!],
        emotions: [general[generalRank(r)]!],
        vibes: [general[generalRank(r)]!],
        likely_source: SOURCES[r.int(SOURCES.length)],
        key_interest: docNames[0],
      },
    });
    const text = [...docNames, ...summaryWords, ...body, ...analysis.subcategories];
    return { id: randomUUID(), topic, analysis, embedding: Float32Array.from(embed(topic, sub, second, text, 1.0)) };
  }

  /** ~n varied queries: common words, topical words, rare names, mixes, long ones (1–8 words). */
  function queries(n: number, docs: SyntheticDoc[]): SyntheticQuery[] {
    const kinds: SyntheticQuery['kind'][] = ['common', 'topical', 'rare', 'mixed', 'long'];
    return Array.from({ length: n }, (_, i) => {
      const kind = kinds[i % kinds.length]!;
      // Rare-term queries name something a stored document really holds.
      const target = docs[r.int(docs.length)]!;
      const topic = kind === 'rare' ? target.topic : topicPick(r);
      let ws: string[];
      switch (kind) {
        case 'common':
          ws = Array.from({ length: 1 + r.int(3) }, () => general[r.int(30)]!);
          break;
        case 'topical':
          ws = Array.from({ length: 2 + r.int(3) }, () => topicWords[topic]![topicRank(r)]!);
          break;
        case 'rare':
          ws = [
            target.analysis.image_details.key_interest ?? names[r.int(names.length)]!,
            ...(r.next() < 0.5 ? [topicWords[topic]![r.int(10)]!] : []),
          ];
          break;
        case 'mixed':
          ws = [names[r.int(names.length)]!, general[generalRank(r)]!, topicWords[topic]![topicRank(r)]!];
          break;
        default:
          ws = words(6 + r.int(3), topic, r.int(T), 0.5);
      }
      return { text: ws.join(' '), kind, embedding: Array.from(embed(topic, r.int(SUBS), r.int(T), ws, 1.2)) };
    });
  }

  return { doc, queries, dimensions: D };
}

/**
 * Bulk seeding: items, analyses (version 1) and search rows for one user, consistent with what
 * the pipeline writes (the same weighted tsvector as SearchRowsRepository.upsert), one INSERT …
 * SELECT FROM jsonb_to_recordset per table and batch. The BM25 statistics triggers are
 * statement-level, so a batch updates each term once.
 */
export async function seedDocs(db: Queryable, userId: string, docs: SyntheticDoc[], embeddingModel: string) {
  const rows = docs.map((d, n) => {
    const f = weightedFields(d.analysis);
    return {
      id: d.id,
      analysis_id: randomUUID(),
      n,
      raw: d.analysis,
      doc: flatDocument(d.analysis),
      a: f.a,
      b: f.b,
      c: f.c,
      d: f.d,
      emb: toVectorLiteral(Array.from(d.embedding, (x) => Math.round(x * 1e6) / 1e6)),
    };
  });
  const json = JSON.stringify(rows);
  await db.query(
    `INSERT INTO items (id, user_id, filename, original_filename, mime_type, file_size, sha256, original_key,
       thumbnail_key, width, height, status, created_at)
     SELECT x.id::uuid, $1, x.id || '.jpg', 'IMG_' || x.n || '.jpg', 'image/jpeg', 300000, md5(x.id),
            $1 || '/originals/' || x.id || '.jpg', $1 || '/thumbnails/' || x.id || '.webp', 1170, 2532, 'ready',
            now() - (x.n || ' seconds')::interval
     FROM jsonb_to_recordset($2::jsonb) AS x(id text, n int)`,
    [userId, json],
  );
  await db.query(
    `INSERT INTO analyses (id, item_id, user_id, version, category, subcategories, headline, summary, raw, provider, model)
     SELECT x.analysis_id::uuid, x.id::uuid, $1, 1, x.raw->>'category',
            ARRAY(SELECT jsonb_array_elements_text(x.raw->'subcategories')), x.raw->>'headline', x.raw->>'summary',
            x.raw, 'bench', 'synthetic'
     FROM jsonb_to_recordset($2::jsonb) AS x(id text, analysis_id text, raw jsonb)`,
    [userId, json],
  );
  await db.query(
    `INSERT INTO search_rows (item_id, user_id, analysis_id, category, document, tsv, embedding, embedding_model)
     SELECT x.id::uuid, $1, x.analysis_id::uuid, x.raw->>'category', x.doc,
            setweight(to_tsvector('english', x.a), 'A') || setweight(to_tsvector('english', x.b), 'B') ||
            setweight(to_tsvector('english', x.c), 'C') || setweight(to_tsvector('english', x.d), 'D'),
            x.emb::vector, $3
     FROM jsonb_to_recordset($2::jsonb) AS x(id text, analysis_id text, raw jsonb, doc text, a text, b text, c text, d text, emb text)`,
    [userId, json, embeddingModel],
  );
}
