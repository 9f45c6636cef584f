import { AppError, PermanentError } from '../../../domain/errors.js';

/**
 * The ways an upload can fail inspection. Messages are written for the person who picked the
 * file; `details` carry what a client may want to show or log.
 */
export const SUPPORTED_FORMATS_TEXT = 'PNG, JPEG, WebP, GIF or HEIC';

export const emptyFile = () => new AppError(400, 'empty_file', 'The file is empty.');

export const unsupportedMediaType = () =>
  new AppError(415, 'unsupported_media_type', `The file is not an image Collections can read (${SUPPORTED_FORMATS_TEXT}).`);

export const invalidImage = (formatName: string) =>
  new AppError(400, 'invalid_image', `The file looks like a ${formatName} image but is damaged or incomplete, so it cannot be read.`);

export const imageTooLarge = (width: number, height: number, maxPixels: number) =>
  new AppError(
    400,
    'image_too_large',
    `The image is ${width} × ${height} pixels (${megapixels(width * height)} megapixels); ` +
      `Collections accepts images up to ${megapixels(maxPixels)} megapixels.`,
    { width, height, maxPixels },
  );

function megapixels(pixels: number): string {
  const mp = pixels / 1_000_000;
  return mp >= 10 ? mp.toFixed(0) : mp.toFixed(1);
}

/**
 * The same refusal, raised inside the pipeline: a PermanentError so the step is not retried
 * (the bytes will not get better), still carrying the AppError's code and status.
 */
export class ImageRejectedError extends PermanentError {
  readonly code: string;
  readonly status: AppError['status'];
  constructor(readonly reason: AppError) {
    super(reason.message);
    this.name = 'ImageRejectedError';
    this.code = reason.code;
    this.status = reason.status;
  }
}
