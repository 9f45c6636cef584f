/**
 * The word vectors shipped with the offline semantic embedder (word-vectors.bin, made by
 * scripts/build-word-vectors.ts from GloVe): 60,000 common English words × 100 dimensions,
 * unit length, int8. Loading reads ~6.7 MB and builds one Map: ~40 ms and ~15 MB of memory,
 * done once per process on first use.
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
 * checks it: a rebuilt file with other contents changes the vectors, so it needs a new local
 * model name.
 */
export const WORD_VECTORS_SHA256 = '68082a348abc2529a41da69307d54f72f3b66c47ab6550373fbf84e602a7fdfe';

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
