import sharp, { type Metadata, type Sharp, type SharpOptions } from 'sharp';
import { decodeHeic } from './heic.js';
import { imageTooLarge, invalidImage, unsupportedMediaType, emptyFile } from './errors.js';
import { sniffImageType, type ImageType } from './sniff.js';

/** An upload that passed the cheap checks (type from bytes, size from the header). */
export interface ImageSource {
  type: ImageType;
  /** Size as a person sees it: after EXIF orientation (HEIC: after irot/imir). */
  width: number;
  height: number;
  hasAlpha: boolean;
  /** Raw EXIF block (TIFF structure, possibly prefixed by "Exif\0\0"), if the file has one. */
  exif: Buffer | undefined;
  /**
   * A fresh sharp pipeline over the decoded image, already upright. Decoding is lazy: errors
   * from damaged pixel data surface when the pipeline runs; see `runDecoding`.
   */
  pipeline(): Sharp;
}

const FORMAT_NAMES: Record<ImageType['format'], string> = {
  png: 'PNG',
  jpeg: 'JPEG',
  webp: 'WebP',
  gif: 'GIF',
  heic: 'HEIC',
};
/** libvips' loader name for each type, to catch a file whose magic bytes lie. */
const SHARP_FORMATS: Record<ImageType['format'], string> = {
  png: 'png',
  jpeg: 'jpeg',
  webp: 'webp',
  gif: 'gif',
  heic: 'heif',
};

export const formatName = (type: ImageType) => FORMAT_NAMES[type.format];

/**
 * Options for every sharp decode of untrusted bytes.
 * - failOn 'truncated': a file cut short throws instead of decoding to a grey lower half.
 *   Measured on sharp 0.35: 'truncated', 'error' and 'warning' (the default) all refuse
 *   truncated JPEG, PNG and GIF once pixels are decoded; 'none' lets them through silently;
 *   metadata() alone never notices. 'truncated' is the loosest level that catches it, so
 *   files that only trigger decoder warnings (and display fine elsewhere) are still kept.
 * - limitInputPixels: sharp's own decompression-bomb guard, a second line behind ours.
 */
export function sharpInputOptions(maxPixels: number): SharpOptions {
  return { failOn: 'truncated', limitInputPixels: Math.max(1, maxPixels) };
}

/**
 * Sniffs the type, reads the header and refuses decompression bombs, all before any pixel is
 * decoded. HEIC is decoded here (to RGBA, via wasm) because sharp cannot; the other formats
 * stay compressed until a pipeline runs.
 */
export async function openImage(bytes: Buffer, opts: { maxPixels: number }): Promise<ImageSource> {
  if (bytes.length === 0) throw emptyFile();
  const type = sniffImageType(bytes);
  if (!type) throw unsupportedMediaType();

  const inputOptions = sharpInputOptions(opts.maxPixels);
  let header: Metadata;
  try {
    // metadata() parses the header only (PNG IHDR, JPEG SOF, HEIF ispe…): cheap for any size.
    // limitInputPixels off here, and only here: sharp applies its limit (default 16383²) even
    // to metadata(), failing a bomb with a generic error before we can say "too large".
    header = await sharp(bytes, { failOn: inputOptions.failOn, limitInputPixels: false }).metadata();
  } catch {
    throw invalidImage(formatName(type));
  }
  if (header.format !== SHARP_FORMATS[type.format] || !header.width || !header.height) {
    throw invalidImage(formatName(type));
  }
  if (header.width * header.height > opts.maxPixels) {
    throw imageTooLarge(header.width, header.height, opts.maxPixels);
  }
  const hasAlpha = header.hasAlpha === true;

  if (type.format === 'heic') {
    const raw = await decodeHeic(bytes, opts.maxPixels);
    return {
      type,
      width: raw.width,
      height: raw.height,
      hasAlpha,
      exif: header.exif,
      pipeline: () => {
        const image = sharp(raw.data, { ...inputOptions, raw: { width: raw.width, height: raw.height, channels: 4 } });
        // heic-decode always returns RGBA; an opaque photo should not carry a useless alpha band.
        return hasAlpha ? image : image.removeAlpha();
      },
    };
  }

  return {
    type,
    width: header.autoOrient.width,
    height: header.autoOrient.height,
    hasAlpha,
    exif: header.exif,
    pipeline: () => sharp(bytes, inputOptions).autoOrient(),
  };
}

/**
 * Runs a sharp pipeline over untrusted pixels, turning libvips' decode errors (truncated or
 * corrupt data) into the same AppError as a bad header. The pixel limit cannot trip here:
 * openImage already refused anything whose header is over it.
 */
export async function runDecoding<T>(source: ImageSource, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch {
    throw invalidImage(formatName(source.type));
  }
}
