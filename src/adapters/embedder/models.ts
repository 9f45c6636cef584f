/**
 * Vector sizes of the hosted models we know. The database column has a fixed dimension, so the
 * size must be known before the first call; an unknown model is a configuration error, reported
 * with the list of models that work.
 */

/** Default output sizes (Voyage's newer models can be asked for others; we use the default). */
export const VOYAGE_MODEL_DIMENSIONS: Readonly<Record<string, number>> = {
  'voyage-4-large': 1024,
  'voyage-4': 1024,
  'voyage-4-lite': 1024,
  'voyage-3.5': 1024,
  'voyage-3.5-lite': 1024,
  'voyage-3-large': 1024,
  'voyage-3': 1024,
  'voyage-3-lite': 512,
  'voyage-code-3': 1024,
  'voyage-finance-2': 1024,
  'voyage-law-2': 1024,
  'voyage-multilingual-2': 1024,
  'voyage-code-2': 1536,
};

/**
 * OpenAI's models, plus a few common ones served by OpenAI-compatible servers (Ollama,
 * LM Studio, vLLM) through OPENAI_BASE_URL.
 */
export const OPENAI_MODEL_DIMENSIONS: Readonly<Record<string, number>> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
  'nomic-embed-text': 768,
  'mxbai-embed-large': 1024,
  'all-minilm': 384,
  'bge-m3': 1024,
};

/**
 * The offline models (EMBEDDING_PROVIDER=local). local-semantic-v1 is the default: the hashed
 * lexical features of local-hash-v1 (384) plus 100 dimensions of meaning from shipped word
 * vectors and a concept lexicon (local-semantic.ts). local-hash-v1 stays selectable, e.g. for a
 * database already embedded with it.
 */
export const LOCAL_SEMANTIC_MODEL = 'local-semantic-v1';
export const LOCAL_HASH_MODEL = 'local-hash-v1';
export const LOCAL_DEFAULT_MODEL = LOCAL_SEMANTIC_MODEL;
export const LOCAL_MODEL_DIMENSIONS: Readonly<Record<string, number>> = {
  [LOCAL_SEMANTIC_MODEL]: 484,
  [LOCAL_HASH_MODEL]: 384,
};

export const VOYAGE_DEFAULT_MODEL = 'voyage-3.5-lite';
export const OPENAI_DEFAULT_MODEL = 'text-embedding-3-small';

export function knownDimensions(provider: string, table: Readonly<Record<string, number>>, model: string): number {
  const dimensions = table[model];
  if (dimensions === undefined) {
    throw new Error(
      `Unknown ${provider} embedding model "${model}" (EMBEDDING_MODEL). ` + `Known models: ${Object.keys(table).join(', ')}.`,
    );
  }
  return dimensions;
}
