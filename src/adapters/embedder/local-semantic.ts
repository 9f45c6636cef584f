/**
 * The default offline embedder, `local-semantic-v1`: the lexical features of local-hash-v1 plus a
 * block that carries meaning, so "hot spring" lands near "onsen" and "coding tools" near
 * "developer software" with no network and no model runtime.
 *
 * The vector is two blocks, each of unit length before mixing:
 *
 *   [ √λ · lexical (384) | √(1−λ) · semantic (100) ]   = 484 dimensions
 *
 * so the cosine of two vectors is λ·cos(lexical) + (1−λ)·cos(semantic): exact words and names
 * still count (a shop's name, "Bukhansan"), and meaning fills the gaps between different words.
 *
 * - lexical: the hashed words, bigrams and character n-grams of local-hash-v1, plus one hashed
 *   feature per concept of the lexicon (concepts.ts), so "hot spring" and "onsen" share a slot;
 * - semantic: a weighted average of word vectors (word-vectors.ts: GloVe, 150k words) in which
 *   frequent words count less (weight r/(r+R0) for frequency rank r, after Arora et al.'s SIF),
 *   each concept named in the text adds its gloss vector, a phrase the lexicon knows ("hot
 *   spring") stands in for its words, and a word the vectors lack gets a hashed direction of its
 *   own so that names still match themselves.
 *
 * Documents and queries are embedded alike. Deterministic: no randomness, no state but a cache of
 * the loaded vectors.
 */
import type { Embedder, EmbeddingInputType } from '../../ports/embedder.js';
import { createHash } from 'node:crypto';
import { CONCEPTS, ConceptLexicon, lexiconFingerprint } from '../../shared/text/concepts.js';
import { addHashedFeature } from './feature-hashing.js';
import { DEFAULT_FEATURES, type FeatureFunction } from './local-features.js';
import { analyzeText } from '../../shared/text/analyze.js';
import { LOCAL_SEMANTIC_MODEL } from './models.js';
import { l2NormalizeInPlace, norm } from './vector-math.js';
import { shippedWordVectors, WORD_VECTOR_DIMENSIONS, WORD_VECTORS_SHA256, type WordVectors } from './word-vectors.js';

export interface LocalSemanticEmbedderOptions {
  /** Change it whenever anything below, the lexicon or the word vectors change. */
  model?: string;
  /** Slots of the hashed lexical block; the semantic block adds WORD_VECTOR_DIMENSIONS (100). */
  lexicalDimensions?: number;
  /** λ: the lexical block's share of the cosine (0–1). */
  lexicalShare?: number;
  /** Weight of a concept's hashed feature, relative to a word's 1. */
  conceptFeatureWeight?: number;
  /** Weight of a concept's gloss vector in the semantic block. */
  conceptVectorWeight?: number;
  /** R0 in the word weight r/(r+R0): below rank R0 a word counts less than half. */
  frequencyPivot?: number;
  /** Weight of the hashed direction of a word the vectors do not have (0 turns it off). */
  unknownWordWeight?: number;
  features?: readonly FeatureFunction[];
  wordVectors?: () => WordVectors;
  lexicon?: ConceptLexicon;
}

const DEFAULTS = {
  lexicalDimensions: 384,
  lexicalShare: 0.5,
  conceptFeatureWeight: 1,
  conceptVectorWeight: 1,
  frequencyPivot: 500,
  unknownWordWeight: 0.5,
};
const SLOTS_PER_FEATURE = 3;
const UNKNOWN_WORD_SLOTS = 8;
const HAS_DIGIT = /\p{N}/u;

interface Loaded {
  vectors: WordVectors;
  lexicon: ConceptLexicon;
  conceptVectors: (Float64Array | null)[];
}

let defaultLexicon: ConceptLexicon | undefined;

export class LocalSemanticEmbedder implements Embedder {
  readonly provider = 'local';
  readonly model: string;
  readonly dimensions: number;
  readonly id: string;
  /** The lexicon's fingerprint and the settings, hashed (see Embedder). */
  readonly revision: string;
  private readonly settings: typeof DEFAULTS;
  private readonly features: readonly FeatureFunction[];
  private loaded: Loaded | undefined;

  constructor(private readonly options: LocalSemanticEmbedderOptions = {}) {
    this.model = options.model ?? LOCAL_SEMANTIC_MODEL;
    this.settings = { ...DEFAULTS };
    for (const key of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) {
      const value = options[key];
      if (value !== undefined) this.settings[key] = value;
    }
    const { lexicalDimensions, lexicalShare } = this.settings;
    if (!Number.isInteger(lexicalDimensions) || lexicalDimensions < 1) {
      throw new Error(`local embedder: lexicalDimensions must be a positive integer, got ${lexicalDimensions}`);
    }
    if (!(lexicalShare >= 0 && lexicalShare <= 1)) {
      throw new Error(`local embedder: lexicalShare must be between 0 and 1, got ${lexicalShare}`);
    }
    this.features = options.features ?? DEFAULT_FEATURES;
    // Known before the vectors load (the database needs it first); checked when they do.
    this.dimensions = lexicalDimensions + WORD_VECTOR_DIMENSIONS;
    this.id = `${this.provider}/${this.model}`;
    // The lexicon is the part sessions tune most; its hash, not its construction (~10 ms), is needed here.
    const lexicon = options.lexicon?.fingerprint ?? lexiconFingerprint(CONCEPTS);
    // The shipped word vectors are part of the recipe too: a rebuilt file (150k words instead of
    // 60k) re-embeds older rows at start like a lexicon change does.
    const vectors = options.wordVectors ? 'custom' : WORD_VECTORS_SHA256;
    const recipe = JSON.stringify({ model: this.model, settings: this.settings, lexicon, vectors });
    this.revision = createHash('sha256').update(recipe).digest('hex').slice(0, 16);
  }

  async embed(texts: string[], _inputType: EmbeddingInputType): Promise<number[][]> {
    return texts.map((t) => this.embedOne(t));
  }

  /** Loads the word vectors and concept glosses on first use (~50 ms, once per process). */
  private load(): Loaded {
    if (this.loaded) return this.loaded;
    const vectors = (this.options.wordVectors ?? shippedWordVectors)();
    if (vectors.dimensions !== WORD_VECTOR_DIMENSIONS) {
      throw new Error(`local embedder: word vectors have ${vectors.dimensions} dimensions, expected ${WORD_VECTOR_DIMENSIONS}`);
    }
    const lexicon = this.options.lexicon ?? (defaultLexicon ??= new ConceptLexicon());
    const conceptVectors = lexicon.glosses.map((gloss) => {
      const v = new Float64Array(vectors.dimensions);
      for (const word of gloss) {
        const i = vectors.indexOf(word);
        if (i !== -1) vectors.addTo(v, i, 1);
      }
      return norm(v) === 0 ? null : l2NormalizeInPlace(v);
    });
    this.loaded = { vectors, lexicon, conceptVectors };
    return this.loaded;
  }

  /** Synchronous core. A text with no words gives the zero vector, as local-hash-v1 does. */
  embedOne(text: string): number[] {
    const { vectors, lexicon, conceptVectors } = this.load();
    const s = this.settings;
    const analyzed = analyzeText(text);
    const { words, stems } = analyzed;
    const matches = lexicon.match(stems);

    // Lexical block: as local-hash-v1 (a feature seen n times counts 1 + ln n), plus concepts.
    const counts = new Map<string, { weight: number; count: number }>();
    const emit = (name: string, weight: number) => {
      const entry = counts.get(name);
      if (entry) {
        entry.count += 1;
        entry.weight = Math.max(entry.weight, weight);
      } else counts.set(name, { weight, count: 1 });
    };
    for (const feature of this.features) feature(analyzed, emit);
    for (const m of matches) emit(`k:${lexicon.ids[m.concept]}`, s.conceptFeatureWeight * m.weight);
    const lexical = new Float64Array(s.lexicalDimensions);
    for (const [name, { weight, count }] of counts) {
      addHashedFeature(lexical, name, weight * (1 + Math.log(count)), SLOTS_PER_FEATURE);
    }

    // Semantic block. Words inside a matched phrase are replaced by the phrase's concept.
    const inPhrase = new Uint8Array(stems.length);
    for (const m of matches) if (m.end - m.start > 1) inPhrase.fill(1, m.start, m.end);
    const known = new Map<number, number>(); // vector index → occurrences
    const unknown = new Map<string, number>();
    for (let i = 0; i < stems.length; i++) {
      if (inPhrase[i]) continue;
      const word = words[i]!;
      let index = vectors.indexOf(word);
      if (index === -1) index = vectors.indexOf(stems[i]!);
      if (index !== -1) known.set(index, (known.get(index) ?? 0) + 1);
      else if (!HAS_DIGIT.test(word)) unknown.set(stems[i]!, (unknown.get(stems[i]!) ?? 0) + 1);
    }
    const semantic = new Float64Array(vectors.dimensions);
    for (const [index, count] of known) {
      const rank = index + 1;
      vectors.addTo(semantic, index, (rank / (rank + s.frequencyPivot)) * (1 + Math.log(count)));
    }
    if (s.unknownWordWeight > 0) {
      for (const [stem, count] of unknown) {
        addHashedFeature(semantic, `u:${stem}`, s.unknownWordWeight * (1 + Math.log(count)), UNKNOWN_WORD_SLOTS);
      }
    }
    const conceptCounts = new Map<number, { weight: number; count: number }>();
    for (const m of matches) {
      const entry = conceptCounts.get(m.concept);
      if (entry) {
        entry.count += 1;
        entry.weight = Math.max(entry.weight, m.weight);
      } else conceptCounts.set(m.concept, { weight: m.weight, count: 1 });
    }
    for (const [concept, { weight, count }] of conceptCounts) {
      const v = conceptVectors[concept];
      if (!v) continue;
      const w = s.conceptVectorWeight * weight * (1 + Math.log(count));
      for (let d = 0; d < v.length; d++) semantic[d]! += v[d]! * w;
    }

    return mixBlocks(lexical, semantic, s.lexicalShare);
  }
}

/**
 * [√λ·lexical | √(1−λ)·semantic], each block first made unit length. A block that is empty
 * (no known word at all) leaves the other at full length, so the result is still a unit vector.
 */
function mixBlocks(lexical: Float64Array, semantic: Float64Array, lexicalShare: number): number[] {
  const ln = norm(lexical);
  const sn = norm(semantic);
  const out = new Array<number>(lexical.length + semantic.length).fill(0);
  if (ln === 0 && sn === 0) return out;
  const lexicalScale = sn === 0 ? 1 / ln : ln === 0 ? 0 : Math.sqrt(lexicalShare) / ln;
  const semanticScale = ln === 0 ? 1 / sn : sn === 0 ? 0 : Math.sqrt(1 - lexicalShare) / sn;
  for (let i = 0; i < lexical.length; i++) out[i] = lexical[i]! * lexicalScale;
  for (let i = 0; i < semantic.length; i++) out[lexical.length + i] = semantic[i]! * semanticScale;
  return out;
}
