import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';

/** Test images, generated with sharp (no binary fixtures except the HEIC, see fixtures/README.md). */

/** A 60×40 HEVC HEIC (1 KB) with EXIF: Apple iPhone 15, 2024:05:06 07:08:09, 33°51'35.64"S 151°12'40.8"E. */
export const sampleHeic = () => readFileSync(new URL('./fixtures/sample.heic', import.meta.url));

/** Deterministic noise, so lossy encoders have real work and files have real size. */
export function noise(width: number, height: number, channels: 3 | 4 = 3, seed = 1): Buffer {
  const raw = Buffer.alloc(width * height * channels);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < raw.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    raw[i] = x & 0xff;
  }
  return raw;
}

/** Four flat quadrants: top-left red, top-right green, bottom-left blue, bottom-right white. */
export function quadrants(width: number, height: number) {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const left = x < width / 2;
      const topHalf = y < height / 2;
      const rgb = topHalf ? (left ? [255, 0, 0] : [0, 255, 0]) : left ? [0, 0, 255] : [255, 255, 255];
      raw.set(rgb, (y * width + x) * 3);
    }
  }
  return sharp(raw, { raw: { width, height, channels: 3 } });
}

export const solid = (width: number, height: number, background = '#3366cc') =>
  sharp({ create: { width, height, channels: 3, background } });

export const noisy = (width: number, height: number) => sharp(noise(width, height), { raw: { width, height, channels: 3 } });

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/**
 * A valid-looking PNG whose header claims width × height RGB pixels but whose IDAT holds a
 * few bytes: the classic decompression bomb shape. Decoding it would try to allocate
 * width × height × 3 bytes; only a header check keeps memory flat.
 */
export function pngBomb(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit, truecolour, deflate, adaptive filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.alloc(64))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Rewrites a JPEG's SOF0 frame size in place: a small file that claims to be huge. */
export function withJpegFrameSize(jpeg: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(jpeg);
  for (let at = 2; at + 9 < out.length; ) {
    if (out[at] !== 0xff) throw new Error('not at a JPEG marker');
    const marker = out[at + 1]!;
    const length = out.readUInt16BE(at + 2);
    if (marker >= 0xc0 && marker <= 0xc2) {
      out.writeUInt16BE(height, at + 5);
      out.writeUInt16BE(width, at + 7);
      return out;
    }
    at += 2 + length;
  }
  throw new Error('no SOF marker found');
}

/** Rewrites every `ispe` (image spatial extent) property of a HEIF file: header-only giant. */
export function withHeifSize(heif: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(heif);
  let patched = 0;
  for (let at = out.indexOf('ispe', 0, 'latin1'); at >= 0; at = out.indexOf('ispe', at + 4, 'latin1')) {
    // size(4) 'ispe'(4) version/flags(4) width(4) height(4)
    out.writeUInt32BE(width, at + 8);
    out.writeUInt32BE(height, at + 12);
    patched++;
  }
  if (!patched) throw new Error('no ispe box');
  return out;
}

/** An ISO-BMFF ftyp box followed by padding: enough for brand sniffing, not a decodable image. */
export function ftyp(major: string, compatible: string[] = []): Buffer {
  const size = 16 + 4 * compatible.length;
  const head = Buffer.alloc(16);
  head.writeUInt32BE(size, 0);
  head.write('ftyp', 4, 'latin1');
  head.write(major, 8, 'latin1');
  return Buffer.concat([head, Buffer.from(compatible.join(''), 'latin1'), Buffer.alloc(64)]);
}
