import sharp from 'sharp';

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A phone-screenshot-like PNG with real rendered text (SVG → sharp), so OCR has something to
 * read. The first line is the big title.
 */
export async function screenshotPng(lines: string[], opts: { width?: number; height?: number; background?: string } = {}): Promise<Buffer> {
  const width = opts.width ?? 750;
  const height = opts.height ?? 1334;
  const [title = '', ...rest] = lines;
  const body = rest
    .map(
      (l, i) => `<text x="40" y="${330 + i * 70}" font-size="40" font-family="DejaVu Sans, sans-serif" fill="#111">${escapeXml(l)}</text>`,
    )
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <rect width="100%" height="100%" fill="${opts.background ?? '#ffffff'}"/>
    <text x="40" y="60" font-size="28" font-family="DejaVu Sans, sans-serif" fill="#333">9:41</text>
    <text x="40" y="220" font-size="64" font-weight="bold" font-family="DejaVu Sans, sans-serif" fill="#000">${escapeXml(title)}</text>
    ${body}
  </svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** A small solid-colour image in any format sharp writes; `seed` makes the bytes unique. */
export async function solidImage(
  format: 'png' | 'jpeg' | 'webp' | 'gif' = 'png',
  seed = 0,
  size: { width: number; height: number } = { width: 64, height: 48 },
): Promise<Buffer> {
  const img = sharp({
    create: {
      width: size.width,
      height: size.height,
      channels: 3,
      background: { r: seed % 256, g: Math.floor(seed / 256) % 256, b: 120 },
    },
  });
  return img.toFormat(format).toBuffer();
}

/**
 * A photo-like image with shading across the whole frame (smooth waves whose phase and
 * direction follow `seed`): what perceptual hashing needs to tell pictures apart, unlike a
 * white screen with a few words. Different seeds make different pictures.
 */
export async function texturedImage(seed: number, size: { width: number; height: number } = { width: 390, height: 844 }): Promise<Buffer> {
  const { width, height } = size;
  const raw = Buffer.alloc(width * height * 3);
  const fx = 2 + (seed % 5);
  const fy = 3 + ((seed * 7) % 5);
  const phase = seed * 1.7;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = Math.sin((x / width) * fx * Math.PI + phase) * Math.cos((y / height) * fy * Math.PI - phase / 2);
      const i = (y * width + x) * 3;
      raw[i] = 128 + 100 * v;
      raw[i + 1] = 128 + 60 * Math.sin(v * 3 + seed);
      raw[i + 2] = 128 - 90 * v;
    }
  }
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}
