import { existsSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalysisSchema } from '../../src/domain/analysis.js';
import { PermanentError } from '../../src/domain/errors.js';
import type { ImageFacts, VisionInput } from '../../src/ports/vision.js';
import { LocalVisionProvider } from '../../src/adapters/vision/local.js';
import { LOCAL_VISION_MODEL, TESSERACT_VISION_MODEL } from '../../src/adapters/vision/models.js';
import { bundledPaddleModels, PaddleOcr } from '../../src/adapters/vision/paddle-ocr.js';
import { bundledEnglishLangPath, TesseractOcr } from '../../src/adapters/vision/tesseract-ocr.js';
import { renderTextImage } from '../helpers/render-text.js';

/**
 * Both offline engines (PaddleOCR, the default, and tesseract.js) with the same rules on top,
 * each real and with real sharp: one engine per describe block, models loaded once.
 */
const ENGINES = [
  { name: 'PaddleOCR PP-OCRv4', model: LOCAL_VISION_MODEL, create: () => new PaddleOcr() },
  { name: 'tesseract.js', model: TESSERACT_VISION_MODEL, create: () => new TesseractOcr() },
] as const;

describe('the offline engines read their models from node_modules, not a CDN or the cwd', () => {
  it('tesseract: the bundled English model', () => {
    const langPath = bundledEnglishLangPath();
    expect(langPath).toContain(path.join('node_modules', '@tesseract.js-data', 'eng'));
    expect(existsSync(path.join(langPath, 'eng.traineddata.gz'))).toBe(true);
  });

  it('PaddleOCR: the PP-OCRv4 detection and recognition models and their dictionary', () => {
    for (const file of Object.values(bundledPaddleModels())) {
      expect(file).toContain(path.join('node_modules', '@gutenye', 'ocr-models'));
      expect(existsSync(file), file).toBe(true);
    }
  });
});

const facts = (over: Partial<ImageFacts> & Pick<ImageFacts, 'width' | 'height'>): ImageFacts => ({
  format: 'png',
  captured_at: null,
  gps: null,
  camera: null,
  ...over,
});

async function timed(provider: LocalVisionProvider, input: VisionInput) {
  const started = performance.now();
  const result = await provider.analyze(input);
  const ms = Math.round(performance.now() - started);
  console.info(`local OCR ${input.facts.width}×${input.facts.height}: ${ms} ms`);
  return result;
}

const lower = (lines: string[]) => lines.map((l) => l.toLowerCase());
/** Index of the first line containing every word; OCR may drop a letter elsewhere on the line. */
const lineIndex = (lines: string[], ...words: string[]) => lower(lines).findIndex((l) => words.every((w) => l.includes(w.toLowerCase())));

async function ramenScreenshot(): Promise<VisionInput> {
  const image = await renderTextImage({
    width: 1170,
    height: 2532,
    lines: [
      { text: '9:41', y: 60, size: 34, bold: true },
      { text: 'Ichiran Ramen Fukuoka', y: 400, size: 72, bold: true },
      { text: 'Open 10:00 - 22:00', y: 560, size: 44 },
      { text: '#ramen #fukuoka', y: 660, size: 44, color: '#1d4ed8' },
      { text: '@foodie', y: 760, size: 40, color: '#555555' },
    ],
  });
  return {
    image,
    mimeType: 'image/png',
    facts: facts({ width: 1170, height: 2532, captured_at: '2025-03-14T12:30:00.000Z' }),
  };
}

describe.each(ENGINES)('LocalVisionProvider with $name (offline)', ({ model, create }) => {
  let provider: LocalVisionProvider;
  beforeAll(() => {
    provider = new LocalVisionProvider(create(), model);
  });
  afterAll(async () => {
    await provider.close();
  });

  it('reads a phone screenshot: lines in order, headline, category, tags, source', async () => {
    const result = await timed(provider, await ramenScreenshot());
    expect(result.provider).toBe('local');
    expect(result.model).toBe(model);
    expect(result.traceId).toBeNull();

    const a = result.analysis;
    expect(() => AnalysisSchema.parse(a)).not.toThrow();
    const lines = a.image_details.extracted_text;
    // The status bar's clock is kept out of the text (it says nothing about the post).
    expect(lineIndex(lines, '9:41')).toBe(-1);
    const order = [
      lineIndex(lines, 'ichiran', 'ramen'),
      lineIndex(lines, 'open', '10:00'),
      lineIndex(lines, 'ramen', 'fukuoka', '#'),
      lineIndex(lines, 'foodie'),
    ];
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((x, y) => x - y)).toEqual(order);

    expect(a.headline.toLowerCase()).toContain('ichiran ramen');
    expect(a.category).toBe('Food');
    expect(lower(a.subcategories)).toContain('ramen');
    expect(lower(a.media_metadata.hashtags)).toEqual(expect.arrayContaining(['#ramen', '#fukuoka']));
    expect(a.media_metadata.tagged_accounts).toContain('@foodie');
    expect(a.media_metadata.original_poster).toBe('@foodie');
    expect(a.image_details.likely_source).toBe('Screenshot');
    expect(a.image_details.key_interest?.toLowerCase()).toContain('10:00');
    expect(a.image_details.visual_hierarchy[0]?.toLowerCase()).toContain('ichiran');
    expect(a.image_details.themes).toContain('food');
    expect(a.summary.toLowerCase()).toContain('ichiran');
    expect(a.summary).toContain('2025-03-14');
    // The status bar is text on the screen, but never what the screenshot is about.
    expect(a.summary).not.toContain('9:41');
  });

  it('gives an image with no text a valid analysis built from its facts', async () => {
    const image = await sharp({
      create: { width: 1200, height: 900, channels: 3, background: { r: 90, g: 140, b: 200 } },
    })
      .jpeg()
      .toBuffer();
    const result = await timed(provider, {
      image,
      mimeType: 'image/jpeg',
      facts: facts({
        width: 1200,
        height: 900,
        format: 'jpeg',
        captured_at: '2024-08-02T07:15:00.000Z',
        gps: { latitude: 33.590355, longitude: 130.401716 },
        camera: 'Apple iPhone 15',
      }),
    });
    const a = result.analysis;
    expect(a.image_details.extracted_text).toEqual([]);
    expect(a.headline).toBe('Photo with no readable text');
    expect(a.summary).toMatch(/^A 1200×900 JPEG photo with no readable text, captured 2024-08-02/);
    expect(a.summary).toContain('33.59036, 130.40172');
    expect(a.category).toBe('Other');
    expect(a.image_details.likely_source).toBe('Photo');
    expect(a.media_metadata.location_tags).toEqual(['33.59036, 130.40172']);
  });

  it('upscales a small 1× screenshot so its small print is read', async () => {
    const image = await renderTextImage({
      width: 390,
      height: 844,
      lines: [
        { text: '9:41', y: 20, size: 12, bold: true },
        { text: 'Deploying Node apps on AWS', y: 130, size: 22, bold: true },
        { text: 'A guide to Lambda and API Gateway', y: 170, size: 14 },
        { text: 'github.com/example/deploy-guide', y: 200, size: 13, color: '#1d4ed8' },
        { text: 'Posted by @devjane - 3 min read', y: 230, size: 12, color: '#666666' },
      ],
    });
    const result = await timed(provider, {
      image,
      mimeType: 'image/png',
      facts: facts({ width: 390, height: 844 }),
    });
    const a = result.analysis;
    expect(a.headline.toLowerCase()).toContain('deploying node apps');
    expect(a.category).toBe('Technology');
    expect(a.image_details.likely_source).toBe('Web');
    expect(a.media_metadata.original_poster).toBe('@devjane');
    expect(lineIndex(a.image_details.extracted_text, 'lambda', 'gateway')).toBeGreaterThan(0);
  });

  it('reads light text on a dark, busy post and finds the place and the app', async () => {
    const blobs = Array.from(
      { length: 30 },
      (_, i) =>
        `<circle cx="${(i * 137) % 1080}" cy="${900 + ((i * 89) % 900)}" r="${20 + ((i * 7) % 60)}" fill="hsl(${i * 37},70%,60%)"/>`,
    ).join('');
    const image = await renderTextImage(
      {
        width: 1080,
        height: 1920,
        background: '#121212',
        decorations: blobs,
        lines: [
          { text: 'Sunset at Santorini, Greece', y: 300, size: 60, bold: true, color: '#ffffff' },
          { text: 'Oia village, best view at 8:15 pm', y: 400, size: 38, color: '#dddddd' },
          { text: 'Liked by traveler and 2,341 others', y: 480, size: 30, color: '#bbbbbb' },
          { text: '#santorini #greece #sunset', y: 560, size: 30, color: '#60a5fa' },
        ],
      },
      'jpeg',
    );
    const result = await timed(provider, {
      image,
      mimeType: 'image/jpeg',
      facts: facts({ width: 1080, height: 1920, format: 'jpeg' }),
    });
    const a = result.analysis;
    expect(a.category).toBe('Travel');
    expect(a.image_details.likely_source).toBe('Instagram');
    expect(a.media_metadata.location_tags).toContain('Santorini, Greece');
    expect(lower(a.media_metadata.hashtags)).toEqual(expect.arrayContaining(['#santorini', '#greece', '#sunset']));
    // The coloured circles are not text: nothing but the four real lines comes back.
    expect(a.image_details.extracted_text).toHaveLength(4);
  });

  it('serialises concurrent calls on its one engine', async () => {
    const input = await ramenScreenshot();
    const results = await Promise.all([provider.analyze(input), provider.analyze(input)]);
    expect(results.map((r) => r.analysis.category)).toEqual(['Food', 'Food']);
  });

  it('rejects bytes that are not an image with a PermanentError', async () => {
    await expect(
      provider.analyze({
        image: Buffer.from('definitely not an image'),
        mimeType: 'image/png',
        facts: facts({ width: 10, height: 10 }),
      }),
    ).rejects.toBeInstanceOf(PermanentError);
  });

  it('wrote no traineddata into the working directory', () => {
    expect(existsSync(path.join(process.cwd(), 'eng.traineddata'))).toBe(false);
  });
});
