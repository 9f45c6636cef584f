import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, expect, it } from 'vitest';
import { createServices } from '../../src/app/services.js';
import { exportCommand } from '../../src/cli/commands/export.js';
import { importCommand } from '../../src/cli/commands/import.js';
import { loadConfig } from '../../src/shared/config.js';
import { texturedImage } from '../helpers/images.js';
import { ScriptedVision } from '../helpers/scripted-vision.js';

/**
 * `collections export --out <folder>` on the embedded database, then `collections import
 * --format export` of that folder into another data directory: the same items, analyses and
 * bytes come back.
 */
const dirs: string[] = [];
const tempDir = async (name: string) => {
  const d = await mkdtemp(path.join(tmpdir(), `collections-${name}-`));
  dirs.push(d);
  return d;
};
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const quiet = () => undefined;
const env = (dataDir: string) => loadConfig({ COLLECTIONS_DATA_DIR: dataDir, LOG_LEVEL: 'warn' });

it('writes database.json and images/ that import back into another data directory', async () => {
  const source = await tempDir('export-src');
  const services = await createServices(env(source), {
    vision: () => new ScriptedVision([{ headline: 'Waves at dusk', category: 'Art' }]),
  });
  const originals = [await texturedImage(11), await texturedImage(12)];
  for (const [i, bytes] of originals.entries()) await services.items.upload('local', { bytes, name: `wave-${i}.png` });
  await services.bus.idle();
  await services.close();

  const out = path.join(await tempDir('export-out'), 'collection');
  const report = await exportCommand(env(source), { out }, quiet);
  expect(report).toMatchObject({ items: 2, analyses: 2, images: 2, missing_images: [] });
  const database = JSON.parse(await readFile(path.join(out, 'database.json'), 'utf8'));
  expect(database.tables.items.map((i: { original_filename: string }) => i.original_filename).sort()).toEqual(['wave-0.png', 'wave-1.png']);
  const images = await readdir(path.join(out, 'images'));
  const bytes = await Promise.all(images.map((f) => readFile(path.join(out, 'images', f))));
  expect(bytes.map((b) => b.toString('base64')).sort()).toEqual(originals.map((b) => b.toString('base64')).sort());

  // A second export never writes over a folder with something in it.
  await expect(exportCommand(env(source), { out }, quiet)).rejects.toThrow(/not empty/);

  const target = await tempDir('export-dst');
  const io = { stdout: new PassThrough(), stderr: Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.WriteStream };
  expect(await importCommand(env(target), { format: 'export', source: path.join(out, 'database.json') }, io)).toBe(0);
  const back = await createServices(env(target), { vision: () => new ScriptedVision() }, { runPipeline: false });
  try {
    const page = await back.items.list('local', { limit: 10, offset: 0 });
    expect(page.items.map((i) => [i.original_filename, i.headline, i.category]).sort()).toEqual([
      ['wave-0.png', 'Waves at dusk', 'Art'],
      ['wave-1.png', 'Waves at dusk', 'Art'],
    ]);
  } finally {
    await back.close();
  }
}, 120_000);

it('refuses a folder that already has files', async () => {
  const out = await tempDir('export-full');
  await writeFile(path.join(out, 'keep.txt'), 'mine');
  await expect(exportCommand(env(await tempDir('export-empty')), { out }, quiet)).rejects.toThrow(/not empty/);
  expect(await readFile(path.join(out, 'keep.txt'), 'utf8')).toBe('mine');
}, 60_000);
