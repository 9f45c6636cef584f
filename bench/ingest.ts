/**
 * npm run bench:ingest — images per minute through the local pipeline (thumbnail + local OCR +
 * local embedding), and each step's p50/p95, on real screenshots: the golden set's images
 * (../shared/data/golden/images, or BENCH_IMAGES_DIR) when present. Without them it says so
 * and falls back to generated screenshot-like images, which OCR reads ~5× faster than real ones
 * (clean type on a flat background): figures from those are not what users get.
 *
 * Two runs over the same images for two users (so none is a duplicate): (1) steps called one
 * after another to time each step alone, (2) the real in-process bus at PIPELINE_CONCURRENCY
 * for end-to-end throughput.
 *
 *   BENCH_IMAGES=60 (at most this many real images: the 55 golden ones; generated: exactly this many)
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { loadConfig } from '../src/config.js';
import { createServices } from '../src/app/services.js';
import { objectKeys } from '../src/domain/item.js';
import { ItemsRepository } from '../src/repositories/items.js';
import { sha256Hex } from '../src/pipeline/image/process.js';
import { analyzeStep, embedStep, processImageStep, type StepDeps } from '../src/pipeline/steps.js';
import { round, summarise } from './lib/stats.js';
import { defaultGoldenPaths } from '../src/cli/eval.js';

const COUNT = Number(process.env.BENCH_IMAGES ?? 60);
const WORDS = ['Ichiran', 'Ramen', 'Fukuoka', 'Onsen', 'Kyoto', 'Cursor', 'Claude', 'Perfume', 'Spa', 'Hours', 'Tokyo', 'Museum', 'Coffee', 'Tickets', 'Sunset', 'Market', 'Matcha', 'Gallery'];

/** A 1170×2532 phone screenshot with a title, a few text lines and a coloured photo block. */
async function screenshot(i: number): Promise<Buffer> {
  const w = (k: number) => WORDS[(i * 7 + k * 3) % WORDS.length];
  const lines = [`${w(1)} ${w(2)} ${w(3)}`, `Open ${8 + (i % 4)}:00 - ${18 + (i % 5)}:00`, `${w(4)} from ${500 + i * 10} yen`, `#${w(5)?.toLowerCase()} #${w(6)?.toLowerCase()}`, `@${w(7)?.toLowerCase()}_${i}`];
  const text = lines
    .map((l, k) => `<text x="60" y="${1500 + k * 110}" font-size="${k === 0 ? 96 : 56}" font-family="DejaVu Sans" font-weight="${k === 0 ? 'bold' : 'normal'}">${l}</text>`)
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1170" height="2532">
    <rect width="100%" height="100%" fill="#fff"/>
    <rect x="0" y="140" width="1170" height="1200" fill="hsl(${(i * 37) % 360},60%,55%)"/>
    <text x="60" y="90" font-size="44" font-family="DejaVu Sans">9:41</text>${text}</svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toBuffer();
}

/** Real screenshots from `dir` (sorted, at most `max`), or null when there are none. */
async function realScreenshots(dir: string, max: number): Promise<Buffer[] | null> {
  const files = await readdir(dir).catch(() => [] as string[]);
  const images = files.filter((f) => /\.(jpe?g|png|webp|heic)$/i.test(f)).sort().slice(0, max);
  if (images.length === 0) return null;
  return Promise.all(images.map((f) => readFile(path.join(dir, f))));
}

async function seed(deps: StepDeps, userId: string, bytes: Buffer) {
  const id = randomUUID();
  const key = objectKeys.original(userId, id, 'jpg');
  await deps.store.put(key, bytes, 'image/jpeg');
  await new ItemsRepository(deps.db).insertOrGetDuplicate({
    id, user_id: userId, filename: `${id}.jpg`, original_filename: `${id}.jpg`, mime_type: 'image/jpeg',
    file_size: bytes.length, sha256: sha256Hex(bytes), original_key: key,
  });
  return { item_id: id, user_id: userId, original_key: key };
}

async function main() {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'collections-bench-'));
  const config = loadConfig({ ...process.env, COLLECTIONS_DATA_DIR: dataDir, VISION_PROVIDER: 'local', EMBEDDING_PROVIDER: 'local' });
  const services = await createServices(config);
  try {
    const realDir = process.env.BENCH_IMAGES_DIR ?? defaultGoldenPaths().images;
    const real = await realScreenshots(realDir, COUNT);
    let images: Buffer[];
    let source: string;
    if (real) {
      images = real;
      source = `${real.length} real screenshots from ${realDir}`;
    } else {
      process.stdout.write(`no real screenshots in ${realDir}: generated ones instead (OCR reads them far faster)\n`);
      images = await Promise.all(Array.from({ length: COUNT }, (_, i) => screenshot(i)));
      source = `${COUNT} generated screenshots (1170×2532 JPEG)`;
    }
    process.stdout.write(`${source}\n`);
    const count = images.length;

    // Warm the OCR worker so its one-off start is not counted as a step time.
    const warm = await seed(services.steps, 'warmup', images[0]!);
    const quiet = { ...services.steps, bus: { ...services.bus, publish: async () => {} } };
    await processImageStep(quiet, warm);
    await analyzeStep(quiet, warm);

    const times = { process_image: [] as number[], analyze: [] as number[], embed: [] as number[] };
    const seqStart = performance.now();
    for (let i = 0; i < count; i++) {
      const ref = await seed(services.steps, 'seq', images[i]!);
      let t = performance.now();
      await processImageStep(quiet, ref);
      times.process_image.push(performance.now() - t);
      t = performance.now();
      await analyzeStep(quiet, ref);
      times.analyze.push(performance.now() - t);
      t = performance.now();
      await embedStep(quiet, ref);
      times.embed.push(performance.now() - t);
    }
    const seqMs = performance.now() - seqStart;

    const busStart = performance.now();
    for (let i = 0; i < count; i++) {
      const ref = await seed(services.steps, 'bus', images[i]!);
      await services.bus.publish({ type: 'ImageUploaded', detail: ref });
    }
    await services.bus.idle();
    const busMs = performance.now() - busStart;
    const statuses = await new ItemsRepository(services.db).countByStatus('bus');

    const report = {
      images: count,
      source,
      sequential: { total_s: round(seqMs / 1000), images_per_min: round((count / seqMs) * 60_000) },
      pipelined: { concurrency: config.pipeline.concurrency, total_s: round(busMs / 1000), images_per_min: round((count / busMs) * 60_000), statuses },
      step_ms: { process_image: summarise(times.process_image), analyze_local_ocr: summarise(times.analyze), embed_local: summarise(times.embed) },
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await services.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
