/**
 * The word vectors shipped with the offline semantic embedder (word-vectors.bin, made by
 * scripts/build-word-vectors.ts from GloVe): the 150,000 commonest English words × 100
 * dimensions, unit length, int8. Loading reads ~16.8 MB and builds one Map, once per process on
 * first use.
 *
 * Why 150,000 and not the 60,000 of the first revision: the words between (onsen, ryokan, soba,
 * skincare, mindfulness, github, duvet, crochet, roppongi, kawagoe…) are names and topics people
 * type and screenshots hold, which the shorter list left to a hashed direction that only matches
 * itself. Measured with `collections eval` (hybrid MRR / NDCG@10), 60k → 150k: over the 1,138
 * answerable queries of dev–holdout16 export 0.915 → 0.919 and golden NDCG 0.917 → 0.918; on
 * holdout17–20 golden NDCG 0.695 → 0.717; on holdout21 (run before it was tuned on) export 0.471
 * → 0.480 / 0.529 → 0.553 and golden 0.664 → 0.671.
 */
import { readFileSync } from 'node:fs';

export interface WordVectors {
  readonly dimensions: number;
  readonly size: number;
  /** Index of the word (its frequency rank among the shipped words, 0 = most frequent), or -1. */
  indexOf(word: string): number;
  /** Adds `weight` × the word's unit vector at `index` into `target`. */
  addTo(target: Float64Array, index: number, weight: number): void;
  /** The unit vector at `index`, as a new array. */
  vector(index: number): Float64Array;
}

const MAGIC = 'CWV1';
/** The shipped file's vector size (100-d GloVe). */
export const WORD_VECTOR_DIMENSIONS = 100;
/**
 * sha256 of the shipped word-vectors.bin, as scripts/build-word-vectors.ts prints it. A test
 * checks it. It is part of the local embedder's revision (local-semantic.ts), so a rebuilt file
 * with other contents re-embeds older rows at the local server's start.
 */
export const WORD_VECTORS_SHA256 = '71f25fad2535234ccf2d40ef5a3ee824ed1e86665fe96819998d6710b39580ac';

/**
 * How many of the commonest words count as the English vocabulary for OCR's word breaks
 * (paddle-ocr.ts) and `collections eval-vision`: the 60,000 they were measured with. The rarer
 * words the file holds are names and loanwords, which would split run-together text into them.
 */
export const COMMON_WORDS = 60_000;

/** A word's frequency rank among the COMMON_WORDS commonest, or -1. */
export function commonWordRank(vectors: WordVectors, word: string): number {
  const rank = vectors.indexOf(word);
  return rank < COMMON_WORDS ? rank : -1;
}

export function parseWordVectors(file: Uint8Array): WordVectors {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const magic = String.fromCharCode(file[0]!, file[1]!, file[2]!, file[3]!);
  if (magic !== MAGIC) throw new Error(`word vectors: bad magic "${magic}"`);
  const size = view.getUint32(4, true);
  const dimensions = view.getUint32(8, true);
  const wordBytes = view.getUint32(12, true);
  const words = new TextDecoder().decode(file.subarray(16, 16 + wordBytes)).split('\n');
  if (words.length !== size) throw new Error(`word vectors: ${words.length} words, header says ${size}`);
  const scalesAt = 16 + Math.ceil(wordBytes / 4) * 4;
  const vectorsAt = scalesAt + size * 4;
  if (file.byteLength !== vectorsAt + size * dimensions) throw new Error('word vectors: truncated file');
  // Copies (Uint8Array's slice, not Buffer's, which shares memory), so both views start at
  // offset 0 of their own buffers and are aligned.
  const scales = new Float32Array(Uint8Array.prototype.slice.call(file, scalesAt, vectorsAt).buffer);
  const values = new Int8Array(Uint8Array.prototype.slice.call(file, vectorsAt).buffer);
  const index = new Map<string, number>();
  words.forEach((w, i) => index.set(w, i));

  return {
    dimensions,
    size,
    indexOf: (word) => index.get(word) ?? -1,
    addTo(target, i, weight) {
      const s = scales[i]! * weight;
      const base = i * dimensions;
      for (let d = 0; d < dimensions; d++) target[d]! += values[base + d]! * s;
    },
    vector(i) {
      const out = new Float64Array(dimensions);
      this.addTo(out, i, 1);
      return out;
    },
  };
}

let shipped: WordVectors | undefined;

/** The shipped vectors, loaded on first call (synchronously: embedders call this in a loop). */
export function shippedWordVectors(): WordVectors {
  shipped ??= parseWordVectors(readFileSync(new URL('./word-vectors.bin', import.meta.url)));
  return shipped;
}
