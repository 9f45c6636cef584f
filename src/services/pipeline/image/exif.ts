import type { ImageFacts } from '../../../ports/vision.js';

export type ExifFacts = Pick<ImageFacts, 'captured_at' | 'gps' | 'camera'>;

const NO_FACTS: ExifFacts = { captured_at: null, gps: null, camera: null };
const EXIF_HEADER = Buffer.from('Exif\0\0', 'latin1');

/**
 * Reads when, where and with what a photo was taken from the EXIF block sharp found.
 *
 * The block comes from sharp's metadata() rather than from exifr reading the file itself:
 * sharp finds EXIF the same way in JPEG, PNG, WebP and HEIC, while exifr's own HEIC reader
 * fails on some encoders' files ("Malformed EXIF data" on libheif/heif-enc output).
 * Broken EXIF never fails an upload: it just yields no facts.
 */
export async function readExifFacts(exif: Buffer | undefined): Promise<ExifFacts> {
  if (!exif || exif.length < 8) return NO_FACTS;
  // JPEG's APP1 keeps the "Exif\0\0" prefix; exifr wants the TIFF structure that follows it.
  const tiff = exif.subarray(0, 6).equals(EXIF_HEADER) ? exif.subarray(6) : exif;
  // Imported here (outside the try: a missing module is a bug, not unreadable EXIF): only image
  // processing needs it, not every process that imports this module (the API Lambda's init).
  const { default: exifr } = await import('exifr');
  let tags: Record<string, unknown> | undefined;
  try {
    tags = await exifr.parse(tiff, {
      tiff: true,
      exif: true,
      gps: true,
      ifd1: false,
      interop: false,
      xmp: false,
      icc: false,
      iptc: false,
      jfif: false,
      ihdr: false,
      makerNote: false,
      userComment: false,
      // Raw strings: exifr would turn dates into Date objects in the server's time zone.
      reviveValues: false,
      translateValues: false,
      mergeOutput: true,
    });
  } catch {
    return NO_FACTS;
  }
  if (!tags) return NO_FACTS;
  return {
    captured_at:
      exifDateToIso(tags['DateTimeOriginal'], tags['OffsetTimeOriginal']) ?? exifDateToIso(tags['CreateDate'], tags['OffsetTimeDigitized']),
    gps: gpsFrom(tags['latitude'], tags['longitude']),
    camera: cameraFrom(tags['Make'], tags['Model']),
  };
}

/**
 * EXIF dates are "YYYY:MM:DD HH:MM:SS" in the camera's local time, with the offset in a
 * separate tag (EXIF 2.31+) that older cameras do not write. Without an offset the wall-clock
 * time is kept and labelled UTC, so the result does not depend on where the server runs.
 */
export function exifDateToIso(value: unknown, offset?: unknown): string | null {
  if (typeof value !== 'string') return null;
  const m = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m;
  if (y === '0000' || mo === '00' || d === '00') return null; // "0000:00:00 00:00:00" = unset
  const zone = typeof offset === 'string' && /^[+-]\d{2}:\d{2}$/.test(offset.trim()) ? offset.trim() : 'Z';
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${zone}`);
  if (Number.isNaN(date.getTime())) return null;
  // new Date() rolls "02-31" over to March; a date that does not round-trip was not real.
  if (zone === 'Z' && date.toISOString().slice(0, 19) !== `${y}-${mo}-${d}T${h}:${mi}:${s}`) return null;
  return date.toISOString();
}

function gpsFrom(latitude: unknown, longitude: unknown): ImageFacts['gps'] {
  if (typeof latitude !== 'number' || typeof longitude !== 'number') return null;
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return null;
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return null;
  return { latitude, longitude };
}

function cameraFrom(make: unknown, model: unknown): string | null {
  const clean = (v: unknown) => (typeof v === 'string' ? v.replace(/\0/g, '').trim() : '');
  const mk = clean(make);
  const md = clean(model);
  // Many makers repeat themselves in Model ("Canon" + "Canon EOS R5").
  if (md && mk && md.toLowerCase().startsWith(mk.toLowerCase())) return md;
  const camera = [mk, md].filter(Boolean).join(' ');
  return camera || null;
}
