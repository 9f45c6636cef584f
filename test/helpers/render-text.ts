import sharp from 'sharp';

/**
 * Renders lines of text into a real image with sharp (librsvg), so OCR tests read pixels the way
 * they would read a screenshot. DejaVu Sans ships with Debian's fontconfig; any installed family
 * works, a missing one silently falls back to another font.
 */
export interface TextLine {
  text: string;
  /** Baseline, in pixels from the top. */
  y: number;
  size: number;
  x?: number;
  bold?: boolean;
  color?: string;
}

export interface TextImageSpec {
  width: number;
  height: number;
  background?: string;
  lines: TextLine[];
  fontFamily?: string;
  /** Extra SVG elements drawn under the text (shapes that play the part of a photo). */
  decorations?: string;
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function textImageSvg(spec: TextImageSpec): string {
  const family = spec.fontFamily ?? 'DejaVu Sans';
  const texts = spec.lines
    .map(
      (l) =>
        `<text x="${l.x ?? Math.round(spec.width * 0.05)}" y="${l.y}" font-family="${family}" ` +
        `font-size="${l.size}" font-weight="${l.bold ? 'bold' : 'normal'}" fill="${l.color ?? '#111111'}">` +
        `${escapeXml(l.text)}</text>`,
    )
    .join('\n');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${spec.width}" height="${spec.height}">` +
    `<rect width="100%" height="100%" fill="${spec.background ?? '#ffffff'}"/>` +
    `${spec.decorations ?? ''}${texts}</svg>`
  );
}

export async function renderTextImage(spec: TextImageSpec, format: 'png' | 'jpeg' = 'png'): Promise<Buffer> {
  const image = sharp(Buffer.from(textImageSvg(spec)));
  return format === 'png' ? image.png().toBuffer() : image.jpeg({ quality: 85 }).toBuffer();
}
