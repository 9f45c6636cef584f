/**
 * The offline embedders: they need no network and no model runtime, which is what lets the
 * laptop home search offline and lets tests run deterministically and fast.
 *
 * - `local-semantic-v1` (the default, local-semantic.ts): lexical features plus meaning from
 *   shipped word vectors and a concept lexicon.
 * - `local-hash-v1` (LocalEmbedder below): text analysis plus signed feature hashing. A lexical
 *   embedder: shared words and word pieces, not meaning ("hot spring" and "onsen" share nothing).
 */
import type { Embedder, EmbeddingInputType } from '../../ports/embedder.js';
import { addHashedFeature } from './feature-hashing.js';
import { DEFAULT_FEATURES, type FeatureFunction } from './local-features.js';
import { LocalSemanticEmbedder } from './local-semantic.js';
import { analyzeText } from '../../shared/text/analyze.js';
import { LOCAL_DEFAULT_MODEL, LOCAL_HASH_MODEL, LOCAL_MODEL_DIMENSIONS, LOCAL_SEMANTIC_MODEL } from './models.js';
import { l2NormalizeInPlace } from './vector-math.js';

export { LOCAL_DEFAULT_MODEL, LOCAL_HASH_MODEL, LOCAL_SEMANTIC_MODEL } from './models.js';
export const LOCAL_PROVIDER = 'local';
/** local-hash-v1's size (local-semantic-v1 adds 100 to it). */
export const LOCAL_HASH_DIMENSIONS = 384;

/**
 * The local embedder for a model name (EMBEDDING_MODEL); unknown names are a configuration
 * error listing the known ones. Stored vectors carry the name (through `id`) and, for
 * local-semantic-v1, a `revision` that hashes its lexicon and settings: a change to those is
 * re-embedded in the background when the local server starts. A change to the code of the
 * analysis or the features, or to the word vectors, must still come with a new name (then
 * `collections reindex`), or old and new vectors would mix.
 */
export function createLocalEmbedder(model: string = LOCAL_DEFAULT_MODEL): LocalEmbedder | LocalSemanticEmbedder {
  switch (model) {
    case LOCAL_SEMANTIC_MODEL:
      return new LocalSemanticEmbedder();
    case LOCAL_HASH_MODEL:
      return new LocalEmbedder();
    default:
      throw new Error(
        `Unknown local embedding model "${model}" (EMBEDDING_MODEL). ` + `Known models: ${Object.keys(LOCAL_MODEL_DIMENSIONS).join(', ')}.`,
      );
  }
}

const DEFAULT_SLOTS_PER_FEATURE = 3;

export interface LocalEmbedderOptions {
  /** Change this whenever `features` changes (see createLocalEmbedder). */
  model?: string;
  dimensions?: number;
  features?: readonly FeatureFunction[];
  /** How many vector slots each feature is spread over (see feature-hashing.ts). */
  slotsPerFeature?: number;
}

/** local-hash-v1: hashed words, bigrams and character n-grams. */
export class LocalEmbedder implements Embedder {
  readonly provider = LOCAL_PROVIDER;
  readonly model: string;
  readonly dimensions: number;
  readonly id: string;
  private readonly features: readonly FeatureFunction[];
  private readonly slotsPerFeature: number;

  constructor(options: LocalEmbedderOptions = {}) {
    this.model = options.model ?? LOCAL_HASH_MODEL;
    this.dimensions = options.dimensions ?? LOCAL_HASH_DIMENSIONS;
    if (!Number.isInteger(this.dimensions) || this.dimensions < 1) {
      throw new Error(`local embedder: dimensions must be a positive integer, got ${this.dimensions}`);
    }
    this.features = options.features ?? DEFAULT_FEATURES;
    this.slotsPerFeature = options.slotsPerFeature ?? DEFAULT_SLOTS_PER_FEATURE;
    this.id = `${this.provider}/${this.model}`;
  }

  /** Documents and queries are embedded alike: the features are symmetric. */
  async embed(texts: string[], _inputType: EmbeddingInputType): Promise<number[][]> {
    return texts.map((t) => this.embedOne(t));
  }

  /**
   * Synchronous core, for callers that embed many texts in a tight loop. A text with no words
   * at all (empty, only punctuation) gives the zero vector: it has no direction to compare.
   */
  embedOne(text: string): number[] {
    const analyzed = analyzeText(text);
    // Count first, weight after: a feature seen n times counts 1 + ln(n), so one repeated word
    // cannot drown out the rest of a document.
    const counts = new Map<string, { weight: number; count: number }>();
    const emit = (name: string, weight: number) => {
      const entry = counts.get(name);
      if (entry) entry.count += 1;
      else counts.set(name, { weight, count: 1 });
    };
    for (const feature of this.features) feature(analyzed, emit);

    const vector = new Float64Array(this.dimensions);
    for (const [name, { weight, count }] of counts) {
      addHashedFeature(vector, name, weight * (1 + Math.log(count)), this.slotsPerFeature);
    }
    return Array.from(l2NormalizeInPlace(vector));
  }
}
