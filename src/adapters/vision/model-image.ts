import sharp from 'sharp';
import { PermanentError, errorMessage } from '../../domain/errors.js';

/**
 * Hosted vision models cap images (Anthropic: 5 MB and 8000 px, and it downsizes anything over
 * 1568 px on the long edge anyway; OpenAI: 20 MB, downsizes to 2048/768). Sending 1568 px JPEG
 * keeps every request well under the limits and no larger than what the model actually sees.
 */
export const MODEL_IMAGE_MAX_EDGE = 1568;
const JPEG_QUALITY = 85;

export interface ModelImage {
  base64: string;
  mimeType: 'image/jpeg';
  width: number;
  height: number;
}

export async function imageForModel(image: Buffer): Promise<ModelImage> {
  try {
    const { data, info } = await sharp(image)
      .resize({
        width: MODEL_IMAGE_MAX_EDGE,
        height: MODEL_IMAGE_MAX_EDGE,
        fit: 'inside',
        withoutEnlargement: true,
      })
      // JPEG has no alpha: transparent screenshots (stickers, icons) go on white, not black.
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: JPEG_QUALITY })
      .toBuffer({ resolveWithObject: true });
    return {
      base64: data.toString('base64'),
      mimeType: 'image/jpeg',
      width: info.width,
      height: info.height,
    };
  } catch (err) {
    throw new PermanentError(`image could not be prepared for the vision model: ${errorMessage(err)}`);
  }
}
