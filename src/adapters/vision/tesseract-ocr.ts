import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';
import { createWorker, OEM, type Worker } from 'tesseract.js';
import { PermanentError, errorMessage } from '../../domain/errors.js';

import type { OcrLine, OcrPage } from './ocr-page.js';

export type { OcrLine, OcrPage } from './ocr-page.js';

/**
 * Where the bundled English model lives. The package's export points at `4.0.0` (legacy +
 * LSTM, 10.9 MB); tesseract.js itself uses the sibling `4.0.0_best_int` (LSTM only, 2.9 MB) for
 * OEM.LSTM_ONLY. Both read our test screenshots identically, the smaller one starts ~35% faster,
 * so prefer it and fall back to the export if a future package version drops the folder.
 */
export function bundledEnglishLangPath(): string {
  const require = createRequire(import.meta.url);
  const eng = require('@tesseract.js-data/eng') as { langPath: string };
  const lstmOnly = path.join(path.dirname(eng.langPath), '4.0.0_best_int');
  return existsSync(path.join(lstmOnly, 'eng.traineddata.gz')) ? lstmOnly : eng.langPath;
}

/**
 * Images narrower than this are upscaled before OCR. Measured on rendered screenshots: a 390 px
 * wide (1×) phone screenshot with 12–14 px text read "9:41" at confidence 64 and misread a
 * handle; upscaled 3× it read everything at 87–95. Wide images gain nothing from upscaling and
 * `normalise()` made JPEG-compressed small text worse, so neither is applied to them.
 */
const UPSCALE_BELOW_WIDTH = 1000;
const UPSCALE_TARGET_WIDTH = 2000;

interface PreparedImage {
  bytes: Buffer;
  width: number;
  height: number;
  /** Prepared-image pixels per original-image pixel. */
  scale: number;
}

async function prepareForOcr(image: Buffer, mimeType: string): Promise<PreparedImage> {
  const meta = await sharp(image)
    .metadata()
    .catch((err: unknown) => {
      throw new PermanentError(`image could not be decoded for OCR: ${errorMessage(err)}`);
    });
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width === 0 || height === 0) throw new PermanentError('image has no pixels to read');

  if (width < UPSCALE_BELOW_WIDTH) {
    const scale = Math.min(3, UPSCALE_TARGET_WIDTH / width);
    const bytes = await sharp(image)
      .resize({ width: Math.round(width * scale), kernel: 'lanczos3' })
      .grayscale()
      // Level 0: this PNG only crosses into the worker; compressing it costs more than OCR gains.
      .png({ compressionLevel: 0 })
      .toBuffer();
    return { bytes, width, height, scale };
  }
  // Leptonica reads PNG and JPEG directly; anything else (WebP) is re-encoded once.
  if (mimeType === 'image/png' || mimeType === 'image/jpeg') {
    return { bytes: image, width, height, scale: 1 };
  }
  const bytes = await sharp(image).png({ compressionLevel: 0 }).toBuffer();
  return { bytes, width, height, scale: 1 };
}

/**
 * One tesseract worker, started on first use and reused. Jobs run one at a time: a worker
 * processes a single job anyway, and on a 2-core machine a second worker would only compete with
 * the rest of the pipeline.
 */
export class TesseractOcr {
  private worker: Promise<Worker> | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly langPath: string = bundledEnglishLangPath()) {}

  recognize(image: Buffer, mimeType: string): Promise<OcrPage> {
    const job = this.queue.then(() => this.recognizeNow(image, mimeType));
    this.queue = job.catch(() => undefined);
    return job;
  }

  /** Waits for queued jobs, then stops the worker thread. A later call starts a new one. */
  async close(): Promise<void> {
    await this.queue;
    const worker = this.worker;
    this.worker = null;
    if (worker) await (await worker.catch(() => null))?.terminate();
  }

  private startWorker(): Promise<Worker> {
    if (!this.worker) {
      this.worker = createWorker('eng', OEM.LSTM_ONLY, {
        // All three keep it offline: read the bundled model, never fetch or write a cache file.
        langPath: this.langPath,
        gzip: true,
        cacheMethod: 'none',
        // Without a handler tesseract.js rethrows a failed job inside its message listener,
        // which would crash the process; the job's promise already carries the error.
        errorHandler: () => undefined,
      });
      // A worker that failed to start is forgotten, so the next job tries again.
      this.worker.catch(() => {
        this.worker = null;
      });
    }
    return this.worker;
  }

  private async recognizeNow(image: Buffer, mimeType: string): Promise<OcrPage> {
    const prepared = await prepareForOcr(image, mimeType);
    const worker = await this.startWorker();
    let result: Awaited<ReturnType<Worker['recognize']>>;
    try {
      result = await worker.recognize(prepared.bytes, {}, { blocks: true, text: false });
    } catch (err) {
      throw new Error(`OCR failed: ${errorMessage(err)}`);
    }
    const lines: OcrLine[] = [];
    for (const block of result.data.blocks ?? []) {
      for (const paragraph of block.paragraphs) {
        for (const line of paragraph.lines) {
          const s = prepared.scale;
          lines.push({
            text: line.text,
            confidence: line.confidence,
            bbox: {
              x0: line.bbox.x0 / s,
              y0: line.bbox.y0 / s,
              x1: line.bbox.x1 / s,
              y1: line.bbox.y1 / s,
            },
          });
        }
      }
    }
    return { width: prepared.width, height: prepared.height, lines };
  }
}
