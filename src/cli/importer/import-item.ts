import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Services } from '../../services/services.js';
import { AnalysisSchema, type Analysis } from '../../domain/analysis.js';
import { errorMessage } from '../../domain/errors.js';
import { SUPPORTED_MIME_TYPES, objectKeys, type Item, type SupportedMimeType } from '../../domain/item.js';
import { inspectUpload } from '../../services/pipeline/image/inspect.js';
import { sha256Hex } from '../../services/pipeline/image/process.js';
import { embedStep, processImageStep, type StepDeps } from '../../services/pipeline/steps.js';
import { AnalysesRepository } from '../../repositories/analyses.js';
import { ItemsRepository } from '../../repositories/items.js';
import { SearchRowsRepository } from '../../repositories/search-rows.js';
import type { Queryable } from '../../ports/database.js';
import { analysisId, candidateItemIds, derivedAnalysisId } from './ids.js';
import type { ImageFolder } from './images.js';
import type { SourceAnalysis, SourceItem } from '../../adapters/import-sources/source.js';
import { analysisVersions, attachImage, insertAnalysis, insertItem, isAnalysisIdTaken, isItemIdTaken } from '../../repositories/imports.js';

export interface ItemContext {
  services: Services;
  /** The pipeline steps with a bus that publishes nothing: the import runs them itself. */
  steps: StepDeps;
  userId: string;
  images: ImageFolder | null;
}

export type ItemOutcome =
  | { kind: 'imported' | 'resumed' | 'skipped_existing'; itemId: string; imageMissing: boolean }
  | { kind: 'duplicate'; existingItemId: string }
  | { kind: 'failed'; reason: string; itemId?: string };

export interface ItemResult {
  outcome: ItemOutcome;
  failedAnalyses: { analysis_id: string; reason: string }[];
  warnings: string[];
}

type Valid = { src: SourceAnalysis; analysis: Analysis };

/** Parses (when text) and validates one source analysis against the analysis schema. */
export function validateAnalysis(raw: unknown): { ok: true; analysis: Analysis } | { ok: false; reason: string } {
  let value = raw;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch (err) {
      return { ok: false, reason: `raw_response is not valid JSON (${errorMessage(err)})` };
    }
  }
  if (value == null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, reason: 'the analysis is not a JSON object' };
  }
  const parsed = AnalysisSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    return { ok: false, reason: `does not match the analysis schema (${issues.join('; ')})` };
  }
  return { ok: true, analysis: parsed.data };
}

/**
 * Brings one source item into the collection, or finishes it when an earlier run was cut
 * short. Every step checks what is already there first, so running it again changes nothing:
 *   1. the original goes to the object store (before the row, as uploads do);
 *   2. the item row and its analyses, in one transaction (source ids, versions, timestamps);
 *   3. processImageStep: thumbnail, size, EXIF (status processing);
 *   4. embedStep: the search row with the configured embedder (status ready).
 * A row left between steps by an interrupted run is completed from where it stopped; so would
 * `collections serve`, whose pipeline resumes unfinished items without calling a vision model
 * (the analysis is already there).
 */
export async function importItem(ctx: ItemContext, src: SourceItem): Promise<ItemResult> {
  const { services, userId } = ctx;
  const db = services.db;
  const items = new ItemsRepository(db);
  const warnings = [...src.warnings];
  const failedAnalyses: ItemResult['failedAnalyses'] = [];
  const result = (outcome: ItemOutcome): ItemResult => ({ outcome, failedAnalyses, warnings });

  const valid: Valid[] = [];
  for (const a of src.analyses) {
    const v = validateAnalysis(a.raw);
    if (v.ok) valid.push({ src: a, analysis: v.analysis });
    else
      failedAnalyses.push({
        analysis_id: a.source_id ?? `v${a.version}`,
        reason: `analysis ${a.source_id ?? `version ${a.version}`}: ${v.reason}`,
      });
  }
  if (src.analyses.length > 0 && valid.length === 0) {
    return result({ kind: 'failed', reason: 'none of its analyses is valid: the item was not imported' });
  }

  const ids = candidateItemIds(userId, src.source_id);
  const imagePath = ctx.images?.find(src.image_names) ?? null;
  let item = (ids.preferred ? await items.get(userId, ids.preferred) : null) ?? (await items.get(userId, ids.derived));
  const isNew = !item;
  let changed = false;

  if (!item) {
    let image: LoadedImage | null = null;
    if (imagePath) {
      const loaded = await loadImage(imagePath, services.config.limits.maxImagePixels);
      if ('error' in loaded) warnings.push(`image ${path.basename(imagePath)} is unreadable (${loaded.error}): imported without it`);
      else image = loaded;
    }
    if (!image && valid.length === 0) {
      return result({
        kind: 'failed',
        reason: imagePath ? 'no analysis, and its image is unreadable' : 'no analysis and no image: nothing to import',
      });
    }
    if (image) {
      const dup = await items.findBySha256(userId, image.sha256);
      if (dup) return result({ kind: 'duplicate', existingItemId: dup.id });
    }
    const preferredFree = ids.preferred !== null && !(await isItemIdTaken(db, ids.preferred));
    const itemId = preferredFree ? ids.preferred! : ids.derived;
    if (!preferredFree && (await isItemIdTaken(db, ids.derived))) {
      return result({ kind: 'failed', reason: `item id ${ids.derived} is in use by another user` });
    }
    const mime = image?.mimeType ?? guessMime(src);
    const ext = SUPPORTED_MIME_TYPES[mime];
    const originalKey = objectKeys.original(userId, itemId, ext);
    if (image) await services.store.put(originalKey, image.bytes, mime);

    const inserted = await db.transaction(async (tx) => {
      const ok = await insertItem(tx, {
        id: itemId,
        user_id: userId,
        filename: `${itemId}.${ext}`,
        original_filename: cleanFilename(src.original_filename ?? (imagePath ? path.basename(imagePath) : null)) || `${itemId}.${ext}`,
        mime_type: mime,
        file_size: image?.bytes.length ?? Math.max(0, Math.round(src.file_size ?? 0)),
        // Unique per user and NOT NULL: an item without its image gets a value no real
        // sha256 can equal, so no upload is ever taken for a duplicate of it.
        sha256: image?.sha256 ?? `missing-image:${itemId}`,
        original_key: originalKey,
        width: image?.width ?? null,
        height: image?.height ?? null,
        // With an image, the pipeline's first state; without, the analysis is all there is.
        status: image ? 'uploaded' : 'analyzed',
        created_at: src.created_at,
      });
      if (ok) warnings.push(...(await ensureAnalyses(tx, userId, itemId, itemId === ids.preferred, valid)).warnings);
      return ok;
    });
    if (!inserted) {
      // Lost a race with another import of the same bytes or id (two runs at once).
      if (image) {
        const dup = await items.findBySha256(userId, image.sha256);
        if (dup && dup.id !== itemId) {
          await services.store.delete(originalKey);
          return result({ kind: 'duplicate', existingItemId: dup.id });
        }
      }
    }
    item = await items.get(userId, itemId);
    if (!item) return result({ kind: 'failed', reason: `the item could not be inserted (id ${itemId} is in use)` });
  } else {
    const r = await ensureAnalyses(db, userId, item.id, item.id === ids.preferred, valid);
    warnings.push(...r.warnings);
    changed ||= r.inserted > 0;
  }

  const ref = { item_id: item.id, user_id: userId };
  let imageMissing = false;
  if (!item.thumbnail_key) {
    let haveOriginal = await services.store.exists(item.original_key);
    if (!haveOriginal && imagePath && !isNew) {
      // Imported earlier without its image, which is there now: attach it.
      const attached = await attachFoundImage(ctx, item, imagePath, warnings);
      haveOriginal = attached;
      changed ||= attached;
    }
    if (haveOriginal) {
      try {
        await processImageStep(ctx.steps, ref);
      } catch (err) {
        await items.markFailed(userId, item.id, 'process_image', errorMessage(err));
        return result({ kind: 'failed', itemId: item.id, reason: `the image could not be processed: ${errorMessage(err)}` });
      }
      changed = true;
    } else {
      imageMissing = true;
    }
  }

  const latest = await new AnalysesRepository(db).latest(userId, item.id);
  if (latest) {
    const row = await new SearchRowsRepository(db).get(userId, item.id);
    const status = (await items.get(userId, item.id))?.status;
    const done = status === 'ready' && row?.analysis_id === latest.id && row.embedding_model === services.embedder.id;
    if (!done) {
      try {
        await embedStep(ctx.steps, ref);
      } catch (err) {
        await items.markFailed(userId, item.id, 'embed', errorMessage(err));
        return result({ kind: 'failed', itemId: item.id, reason: `the search row could not be built: ${errorMessage(err)}` });
      }
      changed = true;
    }
  }
  // Without an analysis the item stays `processing` (image done): `collections serve` resumes
  // it at start-up and the configured vision model analyses it, as for an upload.
  return result({ kind: isNew ? 'imported' : changed ? 'resumed' : 'skipped_existing', itemId: item.id, imageMissing });
}

/**
 * Inserts the analyses the item does not have yet. An analysis counts as present under either
 * of its possible ids; a version slot already taken by another analysis (the user re-analysed
 * the item meanwhile, or another source gave it one) is left as the collection has it.
 */
async function ensureAnalyses(
  db: Queryable,
  userId: string,
  itemId: string,
  keptSourceId: boolean,
  valid: Valid[],
): Promise<{ inserted: number; warnings: string[] }> {
  const warnings: string[] = [];
  if (!valid.length) return { inserted: 0, warnings };
  const present = await analysisVersions(db, userId, itemId);
  const presentIds = new Set(present.keys());
  const presentVersions = new Set(present.values());
  let inserted = 0;
  for (const v of valid) {
    const primary = analysisId(itemId, keptSourceId, v.src);
    const derived = derivedAnalysisId(itemId, v.src);
    if (presentIds.has(primary) || presentIds.has(derived)) continue;
    if (presentVersions.has(v.src.version)) {
      warnings.push(`analysis version ${v.src.version} exists already in the collection: kept the collection's`);
      continue;
    }
    const id = primary !== derived && (await isAnalysisIdTaken(db, primary)) ? derived : primary;
    const ok = await insertAnalysis(db, {
      id,
      item_id: itemId,
      user_id: userId,
      version: v.src.version,
      analysis: v.analysis,
      provider: v.src.provider,
      model: v.src.model,
      trace_id: v.src.trace_id,
      created_at: v.src.created_at,
    });
    if (ok) {
      inserted++;
      presentIds.add(id);
      presentVersions.add(v.src.version);
    } else {
      warnings.push(`analysis ${id} could not be inserted (its id is in use)`);
    }
  }
  return { inserted, warnings };
}

async function attachFoundImage(ctx: ItemContext, item: Item, imagePath: string, warnings: string[]): Promise<boolean> {
  const { services, userId } = ctx;
  const image = await loadImage(imagePath, services.config.limits.maxImagePixels);
  if ('error' in image) {
    warnings.push(`image ${path.basename(imagePath)} is unreadable (${image.error}): still without it`);
    return false;
  }
  const dup = await new ItemsRepository(services.db).findBySha256(userId, image.sha256);
  if (dup && dup.id !== item.id) {
    warnings.push(`image ${path.basename(imagePath)} is the image of item ${dup.id} already: still without it`);
    return false;
  }
  const key = objectKeys.original(userId, item.id, image.ext);
  await services.store.put(key, image.bytes, image.mimeType);
  await attachImage(services.db, userId, item.id, {
    sha256: image.sha256,
    mime_type: image.mimeType,
    file_size: image.bytes.length,
    original_key: key,
    filename: `${item.id}.${image.ext}`,
    width: image.width,
    height: image.height,
  });
  if (key !== item.original_key) await services.store.delete(item.original_key);
  return true;
}

interface LoadedImage {
  bytes: Buffer;
  sha256: string;
  mimeType: SupportedMimeType;
  ext: string;
  width: number;
  height: number;
}

/** Reads and checks an image as an upload is checked (type from the bytes, decodable, size). */
async function loadImage(file: string, maxPixels: number): Promise<LoadedImage | { error: string }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    return { error: errorMessage(err) };
  }
  try {
    const inspected = await inspectUpload(bytes, { maxPixels });
    return {
      bytes,
      sha256: sha256Hex(bytes),
      mimeType: inspected.mimeType,
      ext: inspected.ext,
      width: inspected.width,
      height: inspected.height,
    };
  } catch (err) {
    return { error: errorMessage(err) };
  }
}

const EXT_MIME: Record<string, SupportedMimeType> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  heic: 'image/heic',
  heif: 'image/heic',
};

/** For an item without its image: the type the source says it had (JPEG when it says nothing). */
function guessMime(src: SourceItem): SupportedMimeType {
  const m = src.mime_type?.toLowerCase();
  if (m && m in SUPPORTED_MIME_TYPES) return m as SupportedMimeType;
  for (const name of [...src.image_names, src.original_filename ?? '']) {
    const ext = name.split('.').pop()?.toLowerCase();
    if (ext && EXT_MIME[ext]) return EXT_MIME[ext];
  }
  return 'image/jpeg';
}

/** File names are shown back to the user: no paths, no control characters (as uploads). */
function cleanFilename(name: string | null): string {
  if (!name) return '';
  return (name.split(/[\\/]/).pop() ?? '')
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .slice(0, 255)
    .trim();
}
