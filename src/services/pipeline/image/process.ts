import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { AppError } from '../../../domain/errors.js';
import type { ImageFacts } from '../../../ports/vision.js';
import { ImageRejectedError } from './errors.js';
import { readExifFacts } from './exif.js';
import { differenceHash } from './perceptual-hash.js';
import { openImage, runDecoding, type ImageSource } from './source.js';

export interface ProcessedImage {
  /** After auto-orientation. */
  width: number;
  height: number;
  /** WebP, 512×512, cropped to the image's content (never enlarged: a smaller image is kept whole). */
  thumbnail: Buffer;
  /** What vision providers get: upright, in a format every provider reads, long edge ≤ 4096. */
  analysisImage: { bytes: Buffer; mimeType: 'image/jpeg' | 'image/png' | 'image/webp' };
  facts: ImageFacts;
  /** Of the original bytes, exactly as uploaded (duplicate detection). */
  sha256: string;
  /** Perceptual hash of the upright image (near duplicates). */
  phash: string;
}

export const THUMBNAIL_SIZE = 512;
export const ANALYSIS_MAX_EDGE = 4096;
/**
 * Anthropic refuses images over 5 MB; staying under 4.5 MB keeps every provider happy.
 * Lossless PNG of a large, busy image can exceed it; then JPEG (and, rarely, a smaller size).
 */
export const ANALYSIS_MAX_BYTES = 4.5 * 1024 * 1024;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The process_image step's work on bytes: validate, auto-orient, thumbnail, analysis image,
 * EXIF facts. Pure: no storage, no database. A file that is not a readable image (or is over
 * maxPixels) throws ImageRejectedError, a PermanentError, so the pipeline does not retry it.
 */
export async function processImage(bytes: Buffer, opts: { maxPixels: number }): Promise<ProcessedImage> {
  return rejectingUnreadable(async () => {
    const source = await openImage(bytes, opts);
    const [thumbnail, { analysisImage, facts }, phash] = await Promise.all([
      runDecoding(source, () => makeThumbnail(source)),
      analysisInput(source),
      runDecoding(source, () => differenceHash(source)),
    ]);
    return { width: source.width, height: source.height, thumbnail, analysisImage, facts, sha256: sha256Hex(bytes), phash };
  });
}

/**
 * What the analyze step gives a vision provider: the analysis image and the facts, without
 * the thumbnail process_image already stored (an attention crop costs ~70 ms of a 1170×2532
 * screenshot's ~135 ms here).
 */
export function prepareForAnalysis(bytes: Buffer, opts: { maxPixels: number }): Promise<Pick<ProcessedImage, 'analysisImage' | 'facts'>> {
  return rejectingUnreadable(async () => analysisInput(await openImage(bytes, opts)));
}

async function analysisInput(source: ImageSource): Promise<Pick<ProcessedImage, 'analysisImage' | 'facts'>> {
  const [analysisImage, exifFacts] = await Promise.all([runDecoding(source, () => makeAnalysisImage(source)), readExifFacts(source.exif)]);
  return { analysisImage, facts: { format: source.type.format, width: source.width, height: source.height, ...exifFacts } };
}

/** An unreadable image is an ImageRejectedError (a PermanentError: the pipeline does not retry it). */
async function rejectingUnreadable<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof AppError) throw new ImageRejectedError(err);
    throw err;
  }
}

/**
 * Phone screenshots carry the phone's status bar on top and usually an app's tab bar below:
 * never what a thumbnail should show. Shares of the height, generous for both (a notch phone's
 * status bar is ~5%, TikTok's and Instagram's tab bars ~7%).
 */
const STATUS_BAR_SHARE = 0.12;
const TAB_BAR_SHARE = 0.1;
/** Phone-shaped: as tall as a phone screen (16:9 to 19.5:9 and a little beyond), and as wide. */
const isPhoneScreen = (width: number, height: number) => width >= 320 && height / width >= 1.6 && height / width <= 2.4;

/**
 * Square, because every place that shows a thumbnail shows a square (library grid, search
 * results, chat). The square is where the content is: sharp's attention strategy (luminance
 * detail, saturation, skin) picks it, rather than the centre, and a phone screenshot's status
 * and tab bars are cut away first.
 */
function makeThumbnail(source: ImageSource): Promise<Buffer> {
  let image = source.pipeline();
  if (isPhoneScreen(source.width, source.height)) {
    const top = Math.round(source.height * STATUS_BAR_SHARE);
    const height = source.height - top - Math.round(source.height * TAB_BAR_SHARE);
    image = image.extract({ left: 0, top, width: source.width, height });
  }
  return image
    .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'cover', position: sharp.strategy.attention, withoutEnlargement: true })
    .webp({ quality: 80 })
    .toBuffer();
}

/**
 * PNG where JPEG would hurt: transparency, and lossless sources (screenshots, graphics: JPEG
 * smears the text a model has to read). JPEG q90 for photos. GIF/WebP/HEIC never go out as
 * such: not every provider takes GIF or HEIC, and one encoder path is simpler to reason about.
 */
async function makeAnalysisImage(source: ImageSource): Promise<ProcessedImage['analysisImage']> {
  const wantsPng = source.hasAlpha || source.type.format === 'png' || source.type.format === 'gif';
  if (wantsPng) {
    const png = await resized(source, ANALYSIS_MAX_EDGE).png().toBuffer();
    if (png.length <= ANALYSIS_MAX_BYTES) return { bytes: png, mimeType: 'image/png' };
  }
  for (const edge of [ANALYSIS_MAX_EDGE, 3072, 2048, 1024]) {
    // JPEG has no alpha: flatten onto white (what a viewer shows), not onto black.
    const jpeg = await resized(source, edge).flatten({ background: '#ffffff' }).jpeg({ quality: 90 }).toBuffer();
    if (jpeg.length <= ANALYSIS_MAX_BYTES || edge === 1024) return { bytes: jpeg, mimeType: 'image/jpeg' };
  }
  throw new Error('unreachable');
}

function resized(source: ImageSource, maxEdge: number) {
  return source.pipeline().resize(maxEdge, maxEdge, { fit: 'inside', withoutEnlargement: true });
}
