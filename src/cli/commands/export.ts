import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createServices } from '../../app/services.js';
import { exportCollection } from '../../services/items/collection-export.js';
import type { Config } from '../../shared/config.js';

export interface ExportCommandOptions {
  out: string;
  user?: string;
}

/**
 * `collections export --out <folder>`: the collection in collections-local's export format,
 * `database.json` and `images/`, written to an empty (or new) folder. It reads back with
 * `collections import --format export --source <folder>/database.json`.
 */
export async function exportCommand(
  config: Config,
  opts: ExportCommandOptions,
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<{ folder: string; items: number; analyses: number; images: number; missing_images: string[] }> {
  const folder = path.resolve(opts.out);
  const existing = await readdir(folder).catch(() => [] as string[]);
  if (existing.length > 0) throw new Error(`--out ${folder} is not empty: choose a new folder`);
  const services = await createServices(config, {}, { runPipeline: false });
  try {
    const userId = opts.user ?? config.auth.localUserId;
    const collection = await exportCollection(services, userId);
    await mkdir(path.join(folder, 'images'), { recursive: true });
    await writeFile(path.join(folder, 'database.json'), `${JSON.stringify(collection.database, null, 2)}\n`);
    const missing: string[] = [];
    let written = 0;
    for (const image of collection.images) {
      const bytes = await image.read();
      if (!bytes) missing.push(image.name);
      else await writeFile(path.join(folder, 'images', image.name), bytes);
      if (++written % 50 === 0) log(`export: ${written}/${collection.images.length} images`);
    }
    const { items, analyses } = collection.database.tables;
    log(`export: ${items.length} items, ${analyses.length} analyses, ${written - missing.length} images → ${folder}`);
    return { folder, items: items.length, analyses: analyses.length, images: written - missing.length, missing_images: missing };
  } finally {
    await services.close();
  }
}
