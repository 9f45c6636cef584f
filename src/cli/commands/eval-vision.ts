import type { Config } from '../../shared/config.js';
import { createVisionProvider } from '../../adapters/vision/index.js';
import { commonWordRank, shippedWordVectors } from '../../adapters/embedder/word-vectors.js';
import { runVisionEvaluation, writeVisionReport, type VisionEvalReport } from '../evaluation/vision/run.js';
import { defaultGoldenPaths } from './eval.js';

/** The options of `collections eval-vision` as commander hands them over. */
export interface EvalVisionCommandOptions {
  out: string;
  golden?: string;
  images?: string;
  limit?: string;
  provider?: string;
  model?: string;
}

/**
 * Runs the configured vision provider (or --provider) over the golden screenshots and writes
 * DIR/vision-report.json and DIR/vision-report.md. Junk is judged against the offline
 * embedder's 60k-word English vocabulary (shipped with the project, no download).
 */
export async function runEvalVisionCommand(
  config: Config,
  opts: EvalVisionCommandOptions,
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<{ report: VisionEvalReport; files: { json: string; md: string } }> {
  const paths = defaultGoldenPaths();
  const limit = opts.limit === undefined ? undefined : Number(opts.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0))
    throw new Error(`--limit must be a positive whole number, got "${opts.limit}"`);
  const provider = createVisionProvider(
    config.vision,
    config.tracing,
    opts.provider ? { provider: opts.provider, model: opts.model } : undefined,
  );
  const vocabulary = shippedWordVectors();
  try {
    const report = await runVisionEvaluation({
      provider,
      analysesPath: opts.golden ?? paths.analyses,
      imagesDir: opts.images ?? paths.images,
      limit,
      isWord: (w) => commonWordRank(vocabulary, w) >= 0,
      maxPixels: config.limits.maxImagePixels,
      onProgress: (done, total) => {
        if (done === total || done % 10 === 0) log(`eval-vision: ${done}/${total}`);
      },
    });
    const files = await writeVisionReport(opts.out, report);
    const s = report.summary;
    log(
      `eval-vision ${report.provider}/${report.model}: ${report.images} images (${report.failed} failed); ` +
        `word recall ${s.word_recall} (inside ${s.word_recall_inside}), junk ${s.junk_rate}, category ${s.category_agreement}, ` +
        `headline words found ${s.headline_words_found} (${s.headlines_under_half} under half, ${s.headlines_navigation} navigation), ` +
        `chrome lines in ${s.images_with_chrome_lines}; ${s.ms_p50}/${s.ms_p95} ms p50/p95, ${s.images_per_minute}/min`,
    );
    return { report, files };
  } finally {
    await provider.close?.();
  }
}
