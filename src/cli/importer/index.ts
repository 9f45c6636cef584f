import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Services } from '../../services/services.js';
import { isSafeUserId } from '../../adapters/identity/user-id.js';
import { errorMessage } from '../../domain/errors.js';
import type { EventBus } from '../../ports/event-bus.js';
import type { StepDeps } from '../../services/pipeline/steps.js';
import { createSearcher } from '../../services/search/index.js';
import { ImageFolder } from './images.js';
import { importItem, type ItemResult } from './import-item.js';
import { readChroma } from '../../adapters/import-sources/chroma.js';
import { readCollectionsLocalExport, readCollectionsLocalSqlite } from '../../adapters/import-sources/collections-local.js';
import { readGolden } from '../../adapters/import-sources/golden.js';
import { ImportInputError, type SourceData, type SourceItem } from '../../adapters/import-sources/source.js';
import { itemStates } from '../../repositories/imports.js';
import {
  IMPORT_FORMATS,
  ImportOptionsSchema,
  type ImportFormat,
  type ImportOptions,
  type ImportProgress,
  type ImportReport,
} from './types.js';

export * from './types.js';
export { ImportInputError } from '../../adapters/import-sources/source.js';
export { uuidV5, candidateItemIds } from './ids.js';

/** The import runs the pipeline steps itself, in order: their events go nowhere. */
const silentBus: EventBus = {
  publish: async () => {},
  subscribe: () => {},
  idle: async () => {},
  close: async () => {},
};

/**
 * Imports a collections-local collection (`collections import`, DESIGN.md §8) into the
 * collection behind `services`, for `options.user` (default: the local user), and returns the
 * validation report. Idempotent: a second run reports every item as `skipped_existing`; a run
 * cut short is completed by the next one. Problems with single items (an invalid analysis, an
 * unreadable image) are reported, never thrown; a bad `options` (missing file, wrong format,
 * malformed JSON) throws an ImportInputError with a message for a person.
 */
export async function runImport(
  services: Services,
  options: ImportOptions,
  onProgress?: (p: ImportProgress) => void,
): Promise<ImportReport> {
  const started = performance.now();
  const opts = parseOptions(options);
  const userId = opts.user ?? services.config.auth.localUserId;
  if (!isSafeUserId(userId)) throw new ImportInputError(`--user ${JSON.stringify(userId)} is not a valid user id`);

  const data = await readSource(opts.format, opts.source);
  const imagesDir = opts.images ?? (await existingDir(data.defaultImagesDir));
  const images = imagesDir ? await ImageFolder.open(imagesDir) : null;

  const steps: StepDeps = { ...services.steps, bus: silentBus };
  const ctx = { services, steps, userId, images };

  const report: ImportReport = {
    format: opts.format,
    user_id: userId,
    source: data.source,
    images_dir: images?.dir ?? null,
    embedding_model: services.embedder.id,
    items_in: data.items.length,
    analyses_in: data.items.reduce((n, i) => n + i.analyses.length, 0),
    imported: 0,
    resumed: 0,
    skipped_existing: 0,
    skipped_duplicate: [],
    failed: (data.orphans ?? []).map((o) => ({
      item_id: o.item_id,
      ...(o.analysis_id ? { analysis_id: o.analysis_id } : {}),
      reason: 'analysis of an item that is not in the source',
    })),
    warnings: [],
    remapped_ids: {},
    items_out: 0,
    analyses_out: 0,
    items_without_analysis: [],
    images_missing: [],
    findable_by_headline: { checked: 0, found: 0, not_found: [], no_headline: [] },
    ok: false,
    duration_ms: 0,
  };

  /** Source id → id in the collection, for every item that has a row after the run. */
  const inCollection = new Map<string, string>();
  let failedWithoutRow = 0;
  let done = 0;

  const record = (src: SourceItem, r: ItemResult) => {
    for (const f of r.failedAnalyses) report.failed.push({ item_id: src.source_id, analysis_id: f.analysis_id, reason: f.reason });
    for (const w of r.warnings) report.warnings.push({ item_id: src.source_id, message: w });
    const o = r.outcome;
    let progress: ImportProgress['outcome'];
    switch (o.kind) {
      case 'imported':
      case 'resumed':
      case 'skipped_existing':
        if (o.kind === 'imported') report.imported++;
        else if (o.kind === 'resumed') report.resumed++;
        else report.skipped_existing++;
        inCollection.set(src.source_id, o.itemId);
        progress = o.kind === 'skipped_existing' ? 'skipped' : 'imported';
        break;
      case 'duplicate':
        report.skipped_duplicate.push({ item_id: src.source_id, existing_item_id: o.existingItemId });
        progress = 'skipped';
        break;
      case 'failed':
        report.failed.push({ item_id: src.source_id, reason: o.reason });
        if (o.itemId) inCollection.set(src.source_id, o.itemId);
        else failedWithoutRow++;
        progress = 'failed';
        break;
    }
    done++;
    if (onProgress) {
      try {
        onProgress({ done, total: data.items.length, item_id: src.source_id, outcome: progress });
      } catch {
        // A progress display must never stop an import.
      }
    }
  };

  // A few items at once: image work (sharp) overlaps database work (one PGlite connection).
  const queue = [...data.items];
  const workers = Array.from({ length: Math.max(1, Math.min(services.config.pipeline.concurrency, 4)) }, async () => {
    for (let src = queue.shift(); src; src = queue.shift()) {
      let r: ItemResult;
      try {
        r = await importItem(ctx, src);
      } catch (err) {
        r = { outcome: { kind: 'failed', reason: `unexpected error: ${errorMessage(err)}` }, failedAnalyses: [], warnings: [] };
      }
      record(src, r);
    }
  });
  await Promise.all(workers);

  for (const [sourceId, itemId] of inCollection) if (sourceId.toLowerCase() !== itemId) report.remapped_ids[sourceId] = itemId;
  await validate(services, report, userId, inCollection);
  const accounted = report.items_out + report.skipped_duplicate.length + failedWithoutRow === report.items_in;
  report.ok =
    accounted && report.failed.length === 0 && report.findable_by_headline.not_found.length === 0 && !report.findable_by_headline.error;
  report.duration_ms = Math.round(performance.now() - started);
  return report;
}

/** Reads the collection back: counts, items without analysis or image, and search by headline. */
async function validate(services: Services, report: ImportReport, userId: string, inCollection: Map<string, string>) {
  const sourceOf = new Map([...inCollection].map(([s, t]) => [t, s]));
  const states = await itemStates(services.db, userId, [...new Set(inCollection.values())]);
  const order = new Map([...inCollection.values()].map((id, i) => [id, i]));
  states.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  report.items_out = states.length;
  report.analyses_out = states.reduce((n, s) => n + s.analyses, 0);
  report.items_without_analysis = states.filter((s) => s.analyses === 0).map((s) => sourceOf.get(s.id) ?? s.id);
  report.images_missing = states.filter((s) => !s.has_thumbnail).map((s) => sourceOf.get(s.id) ?? s.id);

  const f = report.findable_by_headline;
  try {
    const searcher = createSearcher(services);
    for (const s of states) {
      if (s.analyses === 0) continue;
      const source = sourceOf.get(s.id) ?? s.id;
      const headline = s.headline?.trim() ?? '';
      if (!headline) {
        f.no_headline.push(source);
        continue;
      }
      f.checked++;
      const res = await searcher.search(userId, { query: headline.slice(0, 1000), search_type: 'bm25', top_k: 10 });
      if (res.results.some((r) => r.item_id === s.id)) f.found++;
      else f.not_found.push(source);
    }
  } catch (err) {
    f.error = `search failed: ${errorMessage(err)}`;
  }
}

/**
 * The cheap checks of `options` (format, user id, that the source and images folder exist),
 * for a CLI that wants to fail before opening the database. runImport makes them too.
 */
export async function checkImportOptions(options: ImportOptions): Promise<void> {
  const opts = parseOptions(options);
  if (opts.user !== undefined && !isSafeUserId(opts.user)) {
    throw new ImportInputError(`--user ${JSON.stringify(opts.user)} is not a valid user id`);
  }
  if (!(await stat(opts.source).catch(() => null))) throw new ImportInputError(`--source ${path.resolve(opts.source)} does not exist`);
  if (opts.images !== undefined && !(await existingDir(opts.images))) {
    throw new ImportInputError(`--images ${path.resolve(opts.images)} does not exist or is not a folder`);
  }
}

function parseOptions(options: ImportOptions): ImportOptions {
  const format = (options as { format?: unknown } | undefined)?.format;
  if (typeof format !== 'string' || !(IMPORT_FORMATS as readonly string[]).includes(format)) {
    throw new ImportInputError(`Unknown import format ${JSON.stringify(format ?? null)}: use --format ${IMPORT_FORMATS.join(', ')}`);
  }
  const parsed = ImportOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'options';
    throw new ImportInputError(`Invalid import option --${field}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

function readSource(format: ImportFormat, source: string): Promise<SourceData> {
  switch (format) {
    case 'sqlite':
      return readCollectionsLocalSqlite(source);
    case 'export':
      return readCollectionsLocalExport(source);
    case 'golden':
      return readGolden(source);
    case 'chroma':
      return readChroma(source);
  }
}

async function existingDir(dir: string | null): Promise<string | null> {
  if (!dir) return null;
  const s = await stat(dir).catch(() => null);
  return s?.isDirectory() ? path.resolve(dir) : null;
}
