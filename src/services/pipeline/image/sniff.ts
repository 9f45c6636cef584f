import type { SupportedMimeType } from '../../../domain/item.js';
import { SUPPORTED_MIME_TYPES } from '../../../domain/item.js';

/** What the bytes say a file is. `format` is the name ImageFacts reports. */
export interface ImageType {
  mimeType: SupportedMimeType;
  ext: string;
  format: 'png' | 'jpeg' | 'webp' | 'gif' | 'heic';
}

const typeOf = (mimeType: SupportedMimeType, format: ImageType['format']): ImageType => ({
  mimeType,
  ext: SUPPORTED_MIME_TYPES[mimeType],
  format,
});

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * HEIF brands whose files carry HEVC-coded images (iPhone photos: major brand `heic`;
 * some Android phones: `mif1` with `heic` among the compatible brands). These are the brands
 * heic-decode accepts as the major brand. `heim`/`heis`/`hevm`/`hevs` (multi-layer and
 * scalable HEVC) are left out: nothing that decodes them ships with Node.
 */
const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'mif1', 'msf1']);
/** AV1 in the same container. Not a supported upload type, even when the major brand is mif1. */
const AVIF_BRANDS = new Set(['avif', 'avis']);

/**
 * Decides from the first bytes what a file really is. The client's content type and file
 * name are never consulted: they are whatever the client says. Returns null for anything that
 * is not one of the five supported raster formats (text, PDF, SVG, AVIF, TIFF, video…).
 * SVG in particular must never reach sharp: it would render it (fetching nothing, but still
 * running an XML parser and a renderer on untrusted input).
 */
export function sniffImageType(bytes: Uint8Array): ImageType | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length >= 8 && b.subarray(0, 8).equals(PNG_SIGNATURE)) return typeOf('image/png', 'png');
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return typeOf('image/jpeg', 'jpeg');
  if (b.length >= 6 && (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a')) return typeOf('image/gif', 'gif');
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return typeOf('image/webp', 'webp');
  if (isHeic(b)) return typeOf('image/heic', 'heic');
  return null;
}

/** The major and compatible brands of an ISO-BMFF `ftyp` box at the start of the file, or null. */
export function ftypBrands(b: Buffer): { major: string; compatible: string[] } | null {
  if (b.length < 16 || ascii(b, 4, 8) !== 'ftyp') return null;
  const boxSize = b.readUInt32BE(0);
  // size 0/1 (to end of file / 64-bit size) never occurs for ftyp in practice; treat as bogus.
  if (boxSize < 16 || boxSize > 4096) return null;
  const end = Math.min(boxSize, b.length);
  const compatible: string[] = [];
  for (let at = 16; at + 4 <= end; at += 4) compatible.push(ascii(b, at, at + 4));
  return { major: ascii(b, 8, 12), compatible };
}

function isHeic(b: Buffer): boolean {
  const brands = ftypBrands(b);
  if (!brands) return false;
  // heic-decode (and libheif behind it) dispatch on the major brand, so that is what decides.
  if (!HEIC_BRANDS.has(brands.major)) return false;
  // `mif1`/`msf1` only say "some HEIF"; an AVIF that names them first is still AV1, not HEVC.
  const generic = brands.major === 'mif1' || brands.major === 'msf1';
  if (generic && brands.compatible.some((c) => AVIF_BRANDS.has(c)) && !brands.compatible.includes('heic')) {
    return false;
  }
  return true;
}

function ascii(b: Buffer, start: number, end: number): string {
  return b.toString('latin1', start, end);
}
