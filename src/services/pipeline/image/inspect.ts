import type { SupportedMimeType } from '../../../domain/item.js';
import { differenceHash } from './perceptual-hash.js';
import { openImage, runDecoding } from './source.js';

export interface InspectedUpload {
  mimeType: SupportedMimeType;
  ext: string;
  /** After EXIF orientation, as the image will be shown. */
  width: number;
  height: number;
  /** Perceptual hash (perceptual-hash.ts), for near-duplicate warnings. */
  phash: string;
}

/**
 * Decides whether an upload is an image Collections keeps, from its bytes alone.
 * Throws AppError: 400 empty_file, 415 unsupported_media_type, 400 image_too_large (checked
 * from the header, before decoding), 400 invalid_image (the pixels do not decode: truncated
 * or corrupt).
 */
export async function inspectUpload(bytes: Buffer, opts: { maxPixels: number }): Promise<InspectedUpload> {
  const source = await openImage(bytes, opts);
  // Decode every pixel once so a truncated file is refused now, not later in the pipeline; that
  // decode is the perceptual hash's. A tiny output keeps it cheap: JPEG shrink-on-load still
  // reads all the entropy-coded data (so truncation is still caught) but skips most of the IDCT.
  const phash = await runDecoding(source, () => differenceHash(source));
  return { mimeType: source.type.mimeType, ext: source.type.ext, width: source.width, height: source.height, phash };
}
