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
 * When the images are the golden set's, the bus run keeps their item ids, so the golden-style
 * query sets (../shared/data/golden/queries.dev.json and eval/queries/golden.*.json) are then
 * searched over what the offline provider read: hybrid MRR, NDCG@10 and false empties per set
 * (issue 14: the end-to-end figure, not the imported reviewed analyses `collections eval` uses).
 *
 *   BENCH_IMAGES=60 (at most this many real images: the 55 golden ones; generated: exactly this many)
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { loadConfig } from '../src/shared/config.js';
import { createServices } from '../src/app/services.js';
import { objectKeys } from '../src/domain/item.js';
import { ItemsRepository } from '../src/repositories/items.js';
import { sha256Hex } from '../src/services/pipeline/image/process.js';
import { analyzeStep, embedStep, processImageStep, type StepDeps } from '../src/services/pipeline/steps.js';
import { round, summarise } from './lib/stats.js';
import { defaultGoldenPaths } from '../src/cli/commands/eval.js';
import type { Services } from '../src/app/services.js';
import { loadDataset } from '../src/cli/evaluation/dataset.js';
import { runEvaluation } from '../src/cli/evaluation/runner.js';
import { createSearcher } from '../src/services/search/index.js';

const COUNT = Number(process.env.BENCH_IMAGES ?? 60);
const WORDS = [
  'Ichiran',
  'Ramen',
  'Fukuoka',
  'Onsen',
  'Kyoto',
  'Cursor',
  'Claude',
  'Perfume',
  'Spa',
  'Hours',
  'Tokyo',
  'Museum',
  'Coffee',
  'Tickets',
  'Sunset',
  'Market',
  'Matcha',
  'Gallery',
];

/** A 1170×2532 phone screenshot with a title, a few text lines and a coloured photo block. */
async function screenshot(i: number): Promise<Buffer> {
  const w = (k: number) => WORDS[(i * 7 + k * 3) % WORDS.length];
  const lines = [
    `${w(1)} ${w(2)} ${w(3)}`,
    `Open ${8 + (i % 4)}:00 - ${18 + (i % 5)}:00`,
    `${w(4)} from ${500 + i * 10} yen`,
    `#${w(5)?.toLowerCase()} #${w(6)?.toLowerCase()}`,
    `@${w(7)?.toLowerCase()}_${i}`,
  ];
  const text = lines
    .map(
      (l, k) =>
        `<text x="60" y="${1500 + k * 110}" font-size="${k === 0 ? 96 : 56}" font-family="DejaVu Sans" font-weight="${k === 0 ? 'bold' : 'normal'}">${l}</text>`,
    )
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1170" height="2532">
    <rect width="100%" height="100%" fill="#fff"/>
    <rect x="0" y="140" width="1170" height="1200" fill="hsl(${(i * 37) % 360},60%,55%)"/>
    <text x="60" y="90" font-size="44" font-family="DejaVu Sans">9:41</text>${text}</svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toBuffer();
}

interface Screenshot {
  bytes: Buffer;
  /** The file's name when it is an item id (the golden images are named so). */
  itemId: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Real screenshots from `dir` (sorted, at most `max`), or null when there are none. */
async function realScreenshots(dir: string, max: number): Promise<Screenshot[] | null> {
  const files = await readdir(dir).catch(() => [] as string[]);
  const images = files
    .filter((f) => /\.(jpe?g|png|webp|heic)$/i.test(f))
    .sort()
    .slice(0, max);
  if (images.length === 0) return null;
  return Promise.all(
    images.map(async (f) => {
      const name = path.parse(f).name;
      return { bytes: await readFile(path.join(dir, f)), itemId: UUID.test(name) ? name.toLowerCase() : null };
    }),
  );
}

/** The golden-style query sets that exist: the dev set beside the images, and this repository's. */
async function goldenQuerySets(): Promise<string[]> {
  const dev = path.join(path.dirname(defaultGoldenPaths().analyses), 'queries.dev.json');
  const ours = (await readdir('eval/queries').catch(() => [] as string[])).filter((f) => /^golden\..*\.json$/.test(f)).sort();
  const sets = [...ours.map((f) => path.join('eval/queries', f))];
  return (await readFile(dev).then(
    () => true,
    () => false,
  ))
    ? [dev, ...sets]
    : sets;
}

/** Hybrid search quality over what the pipeline read, per golden-style query set. */
async function searchQuality(services: Services, userId: string) {
  const searcher = createSearcher(services);
  const rows: Record<string, unknown>[] = [];
  let queries = 0;
  let rr = 0;
  let falseEmpties = 0;
  for (const file of await goldenQuerySets()) {
    const report = await runEvaluation({
      dataset: await loadDataset(file),
      searcher,
      userId,
      searchTypes: ['hybrid'],
      ks: [10],
      warmup: false,
    });
    const s = report.summary.hybrid!;
    rows.push({
      set: path.basename(file),
      answerable: s.evaluated,
      mrr: round(s.mrr ?? 0, 3),
      ndcg_10: round(s['ndcg@10'] ?? 0, 3),
      false_empties: s.false_empties,
    });
    queries += s.evaluated;
    rr += (s.mrr ?? 0) * s.evaluated;
    falseEmpties += s.false_empties;
  }
  return { sets: rows, all: { answerable: queries, mrr: round(queries ? rr / queries : 0, 3), false_empties: falseEmpties } };
}

async function seed(deps: StepDeps, userId: string, bytes: Buffer, itemId: string | null = null) {
  const id = itemId ?? randomUUID();
  const key = objectKeys.original(userId, id, 'jpg');
  await deps.store.put(key, bytes, 'image/jpeg');
  await new ItemsRepository(deps.db).insertOrGetDuplicate({
    id,
    user_id: userId,
    filename: `${id}.jpg`,
    original_filename: `${id}.jpg`,
    mime_type: 'image/jpeg',
    file_size: bytes.length,
    sha256: sha256Hex(bytes),
    original_key: key,
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
    let shots: Screenshot[];
    let source: string;
    if (real) {
      shots = real;
      source = `${real.length} real screenshots from ${realDir}`;
    } else {
      process.stdout.write(`no real screenshots in ${realDir}: generated ones instead (OCR reads them far faster)\n`);
      shots = await Promise.all(Array.from({ length: COUNT }, async (_, i) => ({ bytes: await screenshot(i), itemId: null })));
      source = `${COUNT} generated screenshots (1170×2532 JPEG)`;
    }
    const images = shots.map((s) => s.bytes);
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

    // All uploaded at once, as a person dropping a folder: stored first, then processed by the
    // bus's workers while the OCR engine reads one image at a time (bounded, no thrashing).
    const busStart = performance.now();
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 250);
    for (let i = 0; i < count; i++) {
      const ref = await seed(services.steps, 'bus', images[i]!, shots[i]!.itemId);
      await services.bus.publish({ type: 'ImageUploaded', detail: ref });
    }
    await services.bus.idle();
    clearInterval(sampler);
    const busMs = performance.now() - busStart;
    const statuses = await new ItemsRepository(services.db).countByStatus('bus');
    const golden = shots.every((s) => s.itemId !== null);

    const report = {
      images: count,
      source,
      sequential: { total_s: round(seqMs / 1000), images_per_min: round((count / seqMs) * 60_000) },
      pipelined: {
        concurrency: config.pipeline.concurrency,
        total_s: round(busMs / 1000),
        images_per_min: round((count / busMs) * 60_000),
        peak_rss_mb: Math.round(peakRss / 1e6),
        statuses,
      },
      step_ms: {
        process_image: summarise(times.process_image),
        analyze_local_ocr: summarise(times.analyze),
        embed_local: summarise(times.embed),
      },
      vision: `${config.vision.provider} (${services.steps.vision().model})`,
      search_over_local_analyses: golden ? await searchQuality(services, 'bus') : 'not run: the images are not the golden set',
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await services.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
