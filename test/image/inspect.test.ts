import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors.js';
import { inspectUpload } from '../../src/services/pipeline/image/inspect.js';
import { noisy, pngBomb, sampleHeic, solid, withHeifSize, withJpegFrameSize } from './images.js';

const MAX_PIXELS = 100_000_000;
const inspect = (bytes: Buffer, maxPixels = MAX_PIXELS) => inspectUpload(bytes, { maxPixels });

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('inspectUpload: what a file really is', () => {
  it.each([
    ['png', () => noisy(64, 48).png().toBuffer(), 'image/png', 'png'],
    ['jpeg', () => noisy(64, 48).jpeg().toBuffer(), 'image/jpeg', 'jpg'],
    ['webp', () => noisy(64, 48).webp().toBuffer(), 'image/webp', 'webp'],
    ['gif', () => noisy(64, 48).gif().toBuffer(), 'image/gif', 'gif'],
  ])('accepts %s', async (_name, make, mimeType, ext) => {
    expect(await inspect(await make())).toEqual({ mimeType, ext, width: 64, height: 48, phash: expect.stringMatching(/^[01]{64}$/) });
  });

  it('accepts HEIC (decoded with heic-decode, not sharp)', async () => {
    expect(await inspect(sampleHeic())).toEqual({
      mimeType: 'image/heic',
      ext: 'heic',
      width: 60,
      height: 40,
      phash: expect.stringMatching(/^[01]{64}$/),
    });
  });

  it('reports the size after EXIF orientation', async () => {
    const rotated = await solid(40, 20).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    expect(await inspect(rotated)).toMatchObject({ width: 20, height: 40 });
  });

  it('refuses an empty file with 400 empty_file', async () => {
    const err = await rejection(inspect(Buffer.alloc(0)));
    expect([err.status, err.code]).toEqual([400, 'empty_file']);
  });

  it.each([
    ['a text file (whatever its name)', 'hello, I am not an image'],
    ['an SVG', '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'],
    ['a PDF', '%PDF-1.4\n1 0 obj\n<<>>\nendobj\n'],
  ])('refuses %s with 415 unsupported_media_type', async (_name, text) => {
    const err = await rejection(inspect(Buffer.from(text)));
    expect([err.status, err.code]).toEqual([415, 'unsupported_media_type']);
    expect(err.message).toBe('The file is not an image Collections can read (PNG, JPEG, WebP, GIF or HEIC).');
  });

  it('refuses AVIF with 415 (a HEIF, but AV1: not one of the supported types)', async () => {
    const err = await rejection(inspect(await solid(8, 8).avif().toBuffer()));
    expect(err.code).toBe('unsupported_media_type');
  });
});

describe('inspectUpload: damaged files', () => {
  // Noise makes the compressed data large, so "half the file" cuts through pixel data.
  const half = (b: Buffer) => b.subarray(0, Math.floor(b.length / 2));

  it.each([
    ['JPEG', () => noisy(200, 150).jpeg().toBuffer()],
    ['progressive JPEG', () => noisy(200, 150).jpeg({ progressive: true }).toBuffer()],
    ['PNG', () => noisy(200, 150).png().toBuffer()],
    ['WebP', () => noisy(200, 150).webp().toBuffer()],
    ['GIF', () => noisy(200, 150).gif().toBuffer()],
  ])('refuses a truncated %s with 400 invalid_image (the header alone is fine)', async (name, make) => {
    const err = await rejection(inspect(half(await make())));
    expect([err.status, err.code]).toEqual([400, 'invalid_image']);
    expect(err.message).toBe(
      `The file looks like a ${name.replace('progressive ', '')} image but is damaged or incomplete, so it cannot be read.`,
    );
  });

  it('refuses a JPEG missing its last bytes of scan data', async () => {
    const jpeg = await noisy(200, 150).jpeg().toBuffer();
    expect((await rejection(inspect(jpeg.subarray(0, jpeg.length - 10)))).code).toBe('invalid_image');
  });

  it('refuses a file cut inside its header', async () => {
    const jpeg = await noisy(200, 150).jpeg().toBuffer();
    expect((await rejection(inspect(jpeg.subarray(0, 40)))).code).toBe('invalid_image');
    expect((await rejection(inspect(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))).code).toBe('invalid_image');
  });

  it('refuses a truncated HEIC, or one whose HEVC data is wiped, with invalid_image', async () => {
    const heic = sampleHeic();
    // libheif checks every item extent against the file size, so any cut is caught.
    for (const cut of [300, 600, 1000, heic.length - 1]) {
      expect((await rejection(inspect(heic.subarray(0, cut)))).code).toBe('invalid_image');
    }
    const wiped = Buffer.from(heic);
    wiped.fill(0, 517, 678); // the tile's HEVC bitstream (iloc extent of item 1)
    expect((await rejection(inspect(wiped))).code).toBe('invalid_image');
  });
});

describe('inspectUpload: decompression bombs', () => {
  it('refuses a PNG whose header claims 50000×50000 before decoding anything', async () => {
    const bomb = pngBomb(50_000, 50_000);
    expect(bomb.length).toBeLessThan(200);
    const rssBefore = process.memoryUsage().rss;
    const started = Date.now();
    const err = await rejection(inspect(bomb));
    expect([err.status, err.code]).toEqual([400, 'image_too_large']);
    expect(err.message).toBe('The image is 50000 × 50000 pixels (2500 megapixels); Collections accepts images up to 100 megapixels.');
    expect(err.details).toEqual({ width: 50_000, height: 50_000, maxPixels: MAX_PIXELS });
    expect(Date.now() - started).toBeLessThan(2000);
    // Decoding would need 7.5 GB; a header check needs nothing worth measuring.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);
  });

  it('refuses a JPEG whose frame header claims 60000×60000', async () => {
    const jpeg = withJpegFrameSize(await solid(16, 16).jpeg().toBuffer(), 60_000, 60_000);
    expect((await rejection(inspect(jpeg))).code).toBe('image_too_large');
  });

  it('refuses a HEIC whose ispe claims 40000×40000, before the wasm decoder allocates', async () => {
    const err = await rejection(inspect(withHeifSize(sampleHeic(), 40_000, 40_000)));
    expect(err.code).toBe('image_too_large');
  });

  it('applies the configured limit exactly', async () => {
    const png = await solid(100, 100).png().toBuffer();
    expect(await inspect(png, 10_000)).toMatchObject({ width: 100, height: 100 });
    const err = await rejection(inspect(png, 9_999));
    expect(err.code).toBe('image_too_large');
    expect(err.message).toContain('100 × 100 pixels (0.0 megapixels)');
  });
});
