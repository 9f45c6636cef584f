/**
 * The app's icons for the web app manifest and iOS, drawn from web/public/favicon.svg:
 *
 * - icon-192.png, icon-512.png: the favicon as it is (rounded square, transparent corners);
 * - maskable-192.png, maskable-512.png, apple-touch-icon.png (180): full-bleed background and
 *   the four tiles shrunk into the safe zone (the middle 80 % circle), since the platform cuts
 *   its own shape out of them.
 *
 * Run after changing favicon.svg and commit the PNGs: `npx tsx web/scripts/icons.ts`.
 */
import { readFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const PUBLIC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../public');
const OUT = path.join(PUBLIC, 'icons');

/** The favicon with a square, full-bleed background and its tiles scaled about the centre. */
export function maskableSvg(favicon: string, scale = 0.8): string {
  const background = /<rect[^>]*width="64"[^>]*fill="([^"]+)"/.exec(favicon)?.[1] ?? '#2f5d50';
  const tiles = [...favicon.matchAll(/<rect(?![^>]*width="64")[^>]*\/>/g)].map((m) => m[0]).join('');
  const offset = 32 * (1 - scale);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="${background}"/><g transform="translate(${offset} ${offset}) scale(${scale})">${tiles}</g></svg>`;
}

async function render(svg: string, size: number, file: string) {
  await sharp(Buffer.from(svg), { density: Math.ceil((72 * size) / 64) })
    .resize(size, size)
    .png({ compressionLevel: 9 })
    .toFile(path.join(OUT, file));
  process.stdout.write(`web/public/icons/${file}\n`);
}

async function main() {
  const favicon = await readFile(path.join(PUBLIC, 'favicon.svg'), 'utf8');
  const maskable = maskableSvg(favicon);
  await mkdir(OUT, { recursive: true });
  await render(favicon, 192, 'icon-192.png');
  await render(favicon, 512, 'icon-512.png');
  await render(maskable, 192, 'maskable-192.png');
  await render(maskable, 512, 'maskable-512.png');
  await render(maskable, 180, 'apple-touch-icon.png');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
