import { describe, expect, it } from 'vitest';
import { ftypBrands, sniffImageType } from '../../src/services/pipeline/image/sniff.js';
import { ftyp, sampleHeic, solid } from './images.js';

describe('sniffImageType', () => {
  it('knows the five formats by their first bytes', async () => {
    const base = solid(4, 4);
    expect(sniffImageType(await base.clone().png().toBuffer())?.mimeType).toBe('image/png');
    expect(sniffImageType(await base.clone().jpeg().toBuffer())).toEqual({ mimeType: 'image/jpeg', ext: 'jpg', format: 'jpeg' });
    expect(sniffImageType(await base.clone().webp().toBuffer())?.mimeType).toBe('image/webp');
    expect(sniffImageType(await base.clone().gif().toBuffer())?.mimeType).toBe('image/gif');
    expect(sniffImageType(sampleHeic())).toEqual({ mimeType: 'image/heic', ext: 'heic', format: 'heic' });
  });

  it.each(['heic', 'heix', 'hevc', 'hevx', 'mif1', 'msf1'])('takes HEIF major brand %s as HEIC', (brand) => {
    expect(sniffImageType(ftyp(brand, ['mif1', 'miaf']))?.mimeType).toBe('image/heic');
  });

  it('refuses AVIF, even when it names mif1 first, and other ISO-BMFF files', async () => {
    const avif = await solid(8, 8).avif().toBuffer(); // what sharp's own HEIF encoder makes
    expect(ftypBrands(avif)?.major).toBe('avif');
    expect(sniffImageType(avif)).toBeNull();
    expect(sniffImageType(ftyp('mif1', ['avif', 'miaf']))).toBeNull();
    expect(sniffImageType(ftyp('mif1', ['heic', 'avif']))?.mimeType).toBe('image/heic');
    expect(sniffImageType(ftyp('isom', ['iso2', 'mp41']))).toBeNull(); // an MP4 video
    expect(sniffImageType(ftyp('qt  '))).toBeNull();
  });

  it('refuses text, SVG, PDF and fragments of signatures', () => {
    for (const text of [
      'hello, I am not an image',
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
      '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>',
      '%PDF-1.7\n',
      'GIF8',
      'RIFF....WAVEfmt ',
    ]) {
      expect(sniffImageType(Buffer.from(text))).toBeNull();
    }
    expect(sniffImageType(Buffer.from([0xff, 0xd8]))).toBeNull();
    expect(sniffImageType(Buffer.alloc(0))).toBeNull();
  });

  it('reads a Uint8Array view at an offset', async () => {
    const png = await solid(2, 2).png().toBuffer();
    const padded = new Uint8Array(png.length + 3);
    padded.set(png, 3);
    expect(sniffImageType(padded.subarray(3))?.format).toBe('png');
  });
});
