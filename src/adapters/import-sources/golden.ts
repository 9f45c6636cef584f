import path from 'node:path';
import { ImportInputError, parseTimestamp, readJsonFile, str, type SourceData, type SourceItem } from './source.js';

export const GOLDEN_PROVIDER = 'golden';
export const GOLDEN_MODEL = 'human-reviewed';

/**
 * The golden evaluation set: `{metadata, golden_analyses: [{item_id, category, subcategories,
 * headline, summary, media_metadata, image_details, reviewed_at, original_filename?, …}]}`,
 * images as `{item_id}.jpg`. Each entry is one human-reviewed analysis (version 1, provider
 * `golden`, model `human-reviewed`, created at `reviewed_at`). The item keeps `item_id`, which
 * is what the evaluation queries name.
 */
export async function readGolden(source: string): Promise<SourceData> {
  const file = path.resolve(source);
  const json = await readJsonFile(file, '--source');
  const entries = (json as { golden_analyses?: unknown } | null)?.golden_analyses;
  if (!Array.isArray(entries)) {
    const hint = json && typeof json === 'object' && 'tables' in json ? ' (this looks like a JSON export: use --format export)' : '';
    throw new ImportInputError(
      `--source ${file} is not a golden set: expected {"golden_analyses": [{"item_id", "category", "headline", …}]}${hint}`,
    );
  }
  const items: SourceItem[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    if (!entry || typeof entry !== 'object') continue;
    const e = entry as Record<string, unknown>;
    const id = str(e['item_id']);
    if (!id) continue;
    if (seen.has(id)) {
      items.find((i) => i.source_id === id)?.warnings.push('the golden set lists this item more than once: the first entry was imported');
      continue;
    }
    seen.add(id);
    const reviewedAt = parseTimestamp(e['reviewed_at']);
    const original = str(e['original_filename']);
    items.push({
      source_id: id,
      original_filename: original,
      mime_type: null,
      file_size: null,
      created_at: reviewedAt,
      image_names: [`${id}.jpg`, `${id}.jpeg`, `${id}.png`, `${id}.webp`, ...(original ? [original] : [])],
      analyses: [
        {
          source_id: null,
          version: 1,
          // The whole entry: the schema keeps the analysis fields and drops the bookkeeping ones.
          raw: e,
          provider: GOLDEN_PROVIDER,
          model: GOLDEN_MODEL,
          trace_id: null,
          created_at: reviewedAt,
        },
      ],
      warnings: [],
    });
  }
  return { items, source: file, defaultImagesDir: path.join(path.dirname(file), 'images') };
}
