import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { AnalysisInput } from '../../../domain/analysis.js';
import { prepareForAnalysis } from '../../../services/pipeline/image/process.js';
import type { VisionProvider } from '../../../ports/vision.js';
import { writeReportFiles } from '../index.js';
import { headlineWordsFound, isChromeLine, junkTokens, readsLikeNavigation, sameCategory, wordRecall } from './metrics.js';

/**
 * `collections eval-vision`: runs a vision provider over the golden screenshots and compares
 * each analysis with the reviewed one: OCR word recall, junk, chrome kept out, category
 * agreement, headline quality, and time per image (issue 14's figures).
 */

/** The golden analyses file (../shared/data/golden/analyses.json): only what is compared. */
const GoldenFileSchema = z.object({
  golden_analyses: z.array(
    z
      .object({
        item_id: z.string(),
        category: z.string().nullish(),
        headline: z.string().nullish(),
        summary: z.string().nullish(),
        subcategories: z.array(z.string()).nullish(),
        image_details: z
          .object({ extracted_text: z.array(z.string()).nullish() })
          .passthrough()
          .nullish(),
        media_metadata: z.object({}).passthrough().nullish(),
      })
      .passthrough(),
  ),
});

export interface VisionEvalOptions {
  provider: VisionProvider;
  analysesPath: string;
  imagesDir: string;
  /** At most this many images (in item id order); all by default. */
  limit?: number;
  /** Is this a word (for junk)? The offline embedder's vocabulary by default (cli). */
  isWord: (word: string) => boolean;
  maxPixels?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface VisionEvalImage {
  item_id: string;
  /** The provider's analyze() alone. */
  ms: number;
  error: string | null;
  recall: { found: number; found_inside: number; total: number };
  junk: { junk: number; tokens: number; examples: string[] };
  category: { got: string | null; expected: string | null; agrees: boolean };
  headline: { got: string | null; expected: string | null; words_found: number | null; navigation: boolean };
  /** Lines of the analysis's text that are status bar or app navigation only. */
  chrome_lines: string[];
}

export interface VisionEvalReport {
  generated_at: string;
  provider: string;
  model: string;
  images: number;
  failed: number;
  summary: {
    /** Distinct golden words found / all, summed over images (micro average). */
    word_recall: number;
    /** The same, counting words found inside run-together OCR words. */
    word_recall_inside: number;
    junk_rate: number;
    category_agreement: number;
    /** Mean share of headline words found in the reviewed headline, summary or text. */
    headline_words_found: number;
    headlines_under_half: number;
    headlines_navigation: number;
    images_with_chrome_lines: number;
    ms_p50: number;
    ms_p95: number;
    images_per_minute: number;
  };
  per_image: VisionEvalImage[];
}

/**
 * The reviewed transcription without its status-bar and navigation-only lines: reviewers
 * transcribed "9:41" and "Following For You" too, and the analysis is meant to leave them out.
 */
const contentLines = (a: AnalysisInput) => (a.image_details?.extracted_text ?? []).filter((l) => !isChromeLine(l));

const MIME: Record<string, true> = { '.jpg': true, '.jpeg': true, '.png': true, '.webp': true, '.heic': true };

function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}
const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

export async function runVisionEvaluation(opts: VisionEvalOptions): Promise<VisionEvalReport> {
  const golden = GoldenFileSchema.parse(JSON.parse(await readFile(opts.analysesPath, 'utf8'))).golden_analyses;
  const files = new Map(
    (await readdir(opts.imagesDir)).filter((f) => MIME[path.extname(f).toLowerCase()]).map((f) => [path.parse(f).name, f]),
  );
  const items = golden
    .filter((g) => files.has(g.item_id))
    .sort((a, b) => (a.item_id < b.item_id ? -1 : 1))
    .slice(0, opts.limit ?? Infinity);
  if (items.length === 0) throw new Error(`no golden analysis has an image in ${opts.imagesDir}`);

  const perImage: VisionEvalImage[] = [];
  const started = performance.now();
  for (const g of items) {
    const expected = g as AnalysisInput;
    const bytes = await readFile(path.join(opts.imagesDir, files.get(g.item_id)!));
    let t = performance.now();
    let row: VisionEvalImage;
    try {
      // The pipeline's own preparation: what a provider sees after upload (not timed: the
      // process_image step's work, done before analysis).
      const prepared = await prepareForAnalysis(bytes, { maxPixels: opts.maxPixels ?? 50_000_000 });
      t = performance.now();
      const { analysis } = await opts.provider.analyze({
        image: prepared.analysisImage.bytes,
        mimeType: prepared.analysisImage.mimeType,
        facts: prepared.facts,
      });
      const ms = performance.now() - t;
      const text = analysis.image_details.extracted_text;
      const recall = wordRecall(contentLines(expected), text);
      row = {
        item_id: g.item_id,
        ms: round(ms, 1),
        error: null,
        recall: { found: recall.found, found_inside: recall.foundInside, total: recall.total },
        junk: junkTokens(expected, text, opts.isWord),
        category: { got: analysis.category, expected: g.category ?? null, agrees: sameCategory(analysis.category, g.category) },
        headline: {
          got: analysis.headline,
          expected: g.headline ?? null,
          words_found: headlineWordsFound(expected, analysis.headline),
          navigation: readsLikeNavigation(analysis.headline),
        },
        chrome_lines: [analysis.headline ?? '', analysis.summary ?? '', ...text].filter((l) => l && isChromeLine(l)),
      };
    } catch (err) {
      row = {
        item_id: g.item_id,
        ms: round(performance.now() - t, 1),
        error: err instanceof Error ? err.message : String(err),
        recall: { found: 0, found_inside: 0, total: wordRecall(contentLines(expected), []).total },
        junk: { junk: 0, tokens: 0, examples: [] },
        category: { got: null, expected: g.category ?? null, agrees: false },
        headline: { got: null, expected: g.headline ?? null, words_found: null, navigation: false },
        chrome_lines: [],
      };
    }
    perImage.push(row);
    opts.onProgress?.(perImage.length, items.length);
  }
  const wall = performance.now() - started;

  const sum = (f: (r: VisionEvalImage) => number) => perImage.reduce((a, r) => a + f(r), 0);
  const headlineScores = perImage.map((r) => r.headline.words_found).filter((x): x is number => x !== null);
  const ms = perImage.filter((r) => !r.error).map((r) => r.ms);
  const total = sum((r) => r.recall.total);
  const tokens = sum((r) => r.junk.tokens);
  return {
    generated_at: new Date().toISOString(),
    provider: opts.provider.provider,
    model: opts.provider.model,
    images: perImage.length,
    failed: perImage.filter((r) => r.error).length,
    summary: {
      word_recall: total ? round(sum((r) => r.recall.found) / total) : 0,
      word_recall_inside: total ? round(sum((r) => r.recall.found_inside) / total) : 0,
      junk_rate: tokens ? round(sum((r) => r.junk.junk) / tokens) : 0,
      category_agreement: round(perImage.filter((r) => r.category.agrees).length / perImage.length),
      // A missing or empty headline counts as nothing found.
      headline_words_found: round(perImage.reduce((a, r) => a + (r.headline.words_found ?? 0), 0) / perImage.length),
      headlines_under_half: perImage.length - headlineScores.filter((x) => x >= 0.5).length,
      headlines_navigation: perImage.filter((r) => r.headline.navigation).length,
      images_with_chrome_lines: perImage.filter((r) => r.chrome_lines.length > 0).length,
      ms_p50: round(percentile(ms, 50), 0),
      ms_p95: round(percentile(ms, 95), 0),
      images_per_minute: round((perImage.length / wall) * 60_000, 1),
    },
    per_image: perImage,
  };
}

export function renderVisionMarkdown(r: VisionEvalReport): string {
  const s = r.summary;
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  const lines = [
    `# Vision evaluation: ${r.provider} (${r.model})`,
    '',
    `${r.images} golden screenshots, ${r.failed} failed, ${r.generated_at}.`,
    '',
    '| measure | value |',
    '|---|---|',
    `| OCR word recall (distinct golden words read as words) | ${pct(s.word_recall)} |`,
    `| … counting words inside run-together OCR words | ${pct(s.word_recall_inside)} |`,
    `| junk tokens (not in the golden analysis, not words) | ${pct(s.junk_rate)} |`,
    `| category agreement | ${pct(s.category_agreement)} |`,
    `| headline words found in the reviewed headline/summary/text (mean) | ${pct(s.headline_words_found)} |`,
    `| headlines under half found (or empty) | ${s.headlines_under_half} |`,
    `| headlines read off the app's navigation | ${s.headlines_navigation} |`,
    `| analyses with status-bar or navigation-only lines | ${s.images_with_chrome_lines} |`,
    `| time per image p50 / p95 | ${s.ms_p50} / ${s.ms_p95} ms |`,
    `| images per minute (one at a time) | ${s.images_per_minute} |`,
    '',
    '| item | recall | junk | category (got / reviewed) | headline (got) | headline found | ms |',
    '|---|---|---|---|---|---|---|',
    ...r.per_image.map(
      (x) =>
        `| ${x.item_id.slice(0, 8)} | ${x.recall.found}/${x.recall.total} | ${x.junk.junk}/${x.junk.tokens} | ${x.category.got ?? '—'} / ${x.category.expected ?? '—'} | ${(x.error ? `error: ${x.error}` : (x.headline.got ?? '—')).replace(/\|/g, '\\|').slice(0, 80)} | ${x.headline.words_found === null ? '—' : pct(x.headline.words_found)} | ${x.ms} |`,
    ),
    '',
  ];
  return lines.join('\n');
}

export function writeVisionReport(dir: string, report: VisionEvalReport): Promise<{ json: string; md: string }> {
  return writeReportFiles(dir, 'vision-report', report, renderVisionMarkdown(report));
}
