import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalVisionProvider } from '../../src/adapters/vision/local.js';
import { PaddleOcr } from '../../src/adapters/vision/paddle-ocr.js';
import { runEvalVisionCommand } from '../../src/cli/commands/eval-vision.js';
import { loadConfig } from '../../src/shared/config.js';
import { isChromeLine } from '../../src/cli/evaluation/vision/metrics.js';
import { runVisionEvaluation, writeVisionReport } from '../../src/cli/evaluation/vision/run.js';
import { screenshotPng } from '../helpers/images.js';

/**
 * `collections eval-vision` end to end on a tiny golden set of its own: rendered screenshots
 * read by the real offline provider (PaddleOCR), one broken file, the report written.
 */
let dir: string;
const provider = new LocalVisionProvider(new PaddleOcr());
const ids = {
  onsen: '11111111-1111-4111-8111-111111111111',
  broken: '22222222-2222-4222-8222-222222222222',
  noImage: '33333333-3333-4333-8333-333333333333',
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'eval-vision-'));
  await writeFile(
    path.join(dir, `${ids.onsen}.png`),
    await screenshotPng(['Kurokawa Onsen', 'Outdoor baths open daily', 'Ryokan stays from 18000 yen', 'Kumamoto mountains']),
  );
  await writeFile(path.join(dir, `${ids.broken}.jpg`), Buffer.from('not an image at all'));
  const golden = {
    golden_analyses: [
      {
        item_id: ids.onsen,
        category: 'Travel',
        headline: 'Kurokawa Onsen hot spring village',
        summary: 'Outdoor baths and ryokan stays in the Kumamoto mountains.',
        image_details: {
          extracted_text: ['Kurokawa Onsen', 'Outdoor baths open daily', 'Ryokan stays from 18000 yen', 'Kumamoto mountains'],
        },
        media_metadata: {},
      },
      { item_id: ids.broken, category: 'Food', headline: 'Broken', summary: '', image_details: { extracted_text: ['Ramen'] } },
      // No image file: not evaluated.
      { item_id: ids.noImage, category: 'Food', headline: 'Missing', summary: '', image_details: { extracted_text: ['x'] } },
    ],
  };
  await writeFile(path.join(dir, 'analyses.json'), JSON.stringify(golden));
}, 30_000);
afterAll(async () => {
  await provider.close();
  await rm(dir, { recursive: true, force: true });
});

describe('runVisionEvaluation', () => {
  it('reads each golden screenshot, compares it with the reviewed analysis and writes the report', async () => {
    const report = await runVisionEvaluation({
      provider,
      analysesPath: path.join(dir, 'analyses.json'),
      imagesDir: dir,
      isWord: () => true,
    });
    expect(report.images).toBe(2);
    expect(report.failed).toBe(1);
    const onsen = report.per_image.find((r) => r.item_id === ids.onsen)!;
    expect(onsen.error).toBeNull();
    // Clean rendered text: nearly every word read.
    expect(onsen.recall.total).toBe(13);
    expect(onsen.recall.found / onsen.recall.total).toBeGreaterThan(0.8);
    expect(onsen.ms).toBeGreaterThan(0);
    expect(onsen.category.agrees).toBe(onsen.category.got === 'Travel');
    expect(onsen.headline.words_found).toBeGreaterThan(0.5); // the big title
    for (const line of onsen.chrome_lines) expect(isChromeLine(line), line).toBe(true);
    const broken = report.per_image.find((r) => r.item_id === ids.broken)!;
    expect(broken.error).toMatch(/image/i);
    expect(broken.recall).toEqual({ found: 0, found_inside: 0, total: 1 });
    // Micro averages over both images: the failed one counts as nothing read.
    expect(report.summary.word_recall).toBeCloseTo(onsen.recall.found / 14, 3);

    const files = await writeVisionReport(path.join(dir, 'out'), report);
    expect(JSON.parse(await readFile(files.json, 'utf8')).images).toBe(2);
    expect(await readFile(files.md, 'utf8')).toContain('OCR word recall');
  });

  it('says so when no golden analysis has an image', async () => {
    await expect(
      runVisionEvaluation({
        provider,
        analysesPath: path.join(dir, 'analyses.json'),
        imagesDir: path.join(dir, 'out'),
        isWord: () => true,
      }),
    ).rejects.toThrow(/no golden analysis has an image/);
  });

  it('runs from the command line: the configured provider, --limit, a summary line', async () => {
    const lines: string[] = [];
    const config = loadConfig({ LOG_LEVEL: 'warn', VISION_PROVIDER: 'local', COLLECTIONS_DATA_DIR: dir });
    const { report, files } = await runEvalVisionCommand(
      config,
      { out: path.join(dir, 'cli-out'), golden: path.join(dir, 'analyses.json'), images: dir, limit: '1' },
      (l) => lines.push(l),
    );
    expect(report.images).toBe(1);
    expect(report.provider).toBe('local');
    expect(files.md).toMatch(/vision-report\.md$/);
    expect(lines.at(-1)).toMatch(/word recall [\d.]+/);
    await expect(
      runEvalVisionCommand(
        config,
        { out: path.join(dir, 'x'), golden: path.join(dir, 'analyses.json'), images: dir, limit: '0' },
        () => {},
      ),
    ).rejects.toThrow(/--limit/);
  });
});
