import type decodeHeicFile from 'heic-decode';
import { imageTooLarge, invalidImage } from './errors.js';

export interface RawRgbaImage {
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel. */
  data: Buffer;
}

/**
 * Decodes the primary image of a HEIC file to RGBA pixels.
 *
 * Why not sharp: the prebuilt sharp/libvips bundles libheif with the AV1 codec only (HEVC is
 * patent-encumbered), so it reads a HEIC's header but fails on its pixels. heic-decode runs
 * libheif + libde265 compiled to wasm: no native code, no network, works on Node 20.
 * Its decode is synchronous inside the wasm module (~0.7 s for a 12 MP iPhone photo on one
 * core), so it blocks the event loop while it runs.
 *
 * libheif applies the container's rotation/mirror (irot/imir) while decoding, so the pixels
 * come back upright; HEIC's EXIF Orientation must then NOT be applied a second time.
 */
export async function decodeHeic(bytes: Buffer, maxPixels: number): Promise<RawRgbaImage> {
  // Loaded on first use: libheif's wasm (~2 MB) would otherwise be evaluated at every cold start
  // of every function that imports the pipeline, HEIC or not.
  const decoder: typeof decodeHeicFile = (await import('heic-decode')).default;
  let images: Awaited<ReturnType<typeof decodeHeicFile.all>>;
  try {
    images = await decoder.all({ buffer: bytes });
  } catch {
    throw invalidImage('HEIC');
  }
  try {
    const primary = images[0];
    if (!primary) throw invalidImage('HEIC');
    // Sizes come from the container; check them before asking for width × height × 4 bytes.
    if (primary.width * primary.height > maxPixels) {
      throw imageTooLarge(primary.width, primary.height, maxPixels);
    }
    let decoded: Awaited<ReturnType<typeof primary.decode>>;
    try {
      decoded = await primary.decode();
    } catch {
      throw invalidImage('HEIC');
    }
    const { width, height, data } = decoded;
    if (data.length !== width * height * 4) throw invalidImage('HEIC');
    return { width, height, data: Buffer.from(data.buffer, data.byteOffset, data.byteLength) };
  } finally {
    images.dispose();
  }
}
