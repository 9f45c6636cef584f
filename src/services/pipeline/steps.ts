import type { Database } from '../../ports/database.js';
import type { Embedder } from '../../ports/embedder.js';
import type { EventBus } from '../../ports/event-bus.js';
import type { ObjectStore } from '../../ports/object-store.js';
import type { VisionProvider } from '../../ports/vision.js';
import { ItemGoneError, PermanentError, isForeignKeyViolation } from '../../domain/errors.js';
import { AnalysisSchema, flatDocument } from '../../domain/analysis.js';
import { OBJECT_TAGS, objectKeys, type AnalysisRecord, type ItemRef } from '../../domain/item.js';
import { ItemsRepository } from '../../repositories/items.js';
import { AnalysesRepository } from '../../repositories/analyses.js';
import { SearchRowsRepository } from '../../repositories/search-rows.js';
import { prepareForAnalysis, processImage as processImageBytes } from './image/process.js';

export interface StepDeps {
  db: Database;
  store: ObjectStore;
  bus: EventBus;
  embedder: Embedder;
  /** The configured vision provider, or one chosen for a single re-analysis. */
  vision: (override?: { provider?: string; model?: string }) => VisionProvider;
  maxImagePixels: number;
}

export type { ItemRef } from '../../domain/item.js';

/**
 * The three pipeline steps (DESIGN.md §2). Each is idempotent: it reads the item's state first
 * and does nothing when its work is already done, so a duplicate or replayed event is harmless.
 * Each step publishes the event that starts the next one.
 */
export async function processImageStep(deps: StepDeps, ref: ItemRef): Promise<void> {
  const items = new ItemsRepository(deps.db);
  const item = await items.get(ref.user_id, ref.item_id);
  if (!item) return; // deleted meanwhile
  if (item.thumbnail_key && item.status !== 'uploaded' && item.status !== 'failed') return;

  await items.setStatus(ref.user_id, ref.item_id, 'processing');
  const original = await originalOf(deps, item);
  const processed = await processImageBytes(original, { maxPixels: deps.maxImagePixels });
  const thumbnailKey = objectKeys.thumbnail(item.user_id, item.id);
  await deps.store.put(thumbnailKey, processed.thumbnail, 'image/webp', { tags: OBJECT_TAGS.thumbnail });
  const saved = await items.saveProcessed(item.user_id, item.id, {
    width: processed.width,
    height: processed.height,
    thumbnail_key: thumbnailKey,
    captured_at: processed.facts.captured_at,
    gps: processed.facts.gps,
    phash: processed.phash,
  });
  if (!saved) {
    // Deleted while the thumbnail was made: the delete could not know of it, so remove it here.
    await deps.store.delete(thumbnailKey);
    throw new ItemGoneError(item.id);
  }
  await deps.bus.publish({
    type: 'ImageProcessed',
    detail: { ...ref, original_key: item.original_key, thumbnail_key: thumbnailKey },
  });
}

export interface AnalyzeOptions {
  force?: boolean;
  provider?: string;
  model?: string;
}

/** Runs the vision model and stores a new analysis version. Returns it (or the live one). */
export async function analyzeStep(deps: StepDeps, ref: ItemRef, opts: AnalyzeOptions = {}): Promise<AnalysisRecord | null> {
  const items = new ItemsRepository(deps.db);
  const analyses = new AnalysesRepository(deps.db);
  const item = await items.get(ref.user_id, ref.item_id);
  if (!item) return null;

  const existing = await analyses.latest(ref.user_id, ref.item_id);
  if (existing && !opts.force) {
    // Already analysed (a replayed event, or a crash after the insert): just move on.
    if (item.status === 'processing' || item.status === 'failed') {
      await items.setStatus(ref.user_id, ref.item_id, 'analyzed');
      await publishAnalysisComplete(deps, ref, existing.id);
    }
    return existing;
  }

  const original = await originalOf(deps, item);
  const prepared = await prepareForAnalysis(original, { maxPixels: deps.maxImagePixels });
  const vision = deps.vision({ provider: opts.provider, model: opts.model });
  const result = await vision.analyze({
    image: prepared.analysisImage.bytes,
    mimeType: prepared.analysisImage.mimeType,
    facts: prepared.facts,
  });
  // Providers validate already; this keeps the stored shape a guarantee, not a convention.
  const analysis = AnalysisSchema.parse(result.analysis);
  // Deleted while the model was reading it: the insert finds no item, and the step stops there.
  const record = await gone(ref, () =>
    analyses.insertNextVersion(ref.user_id, ref.item_id, {
      analysis,
      provider: result.provider,
      model: result.model,
      traceId: result.traceId,
    }),
  );
  await items.setStatus(ref.user_id, ref.item_id, 'analyzed');
  await publishAnalysisComplete(deps, ref, record.id);
  return record;
}

/** The original's bytes; their absence means the item was deleted, or else storage lost them. */
async function originalOf(deps: StepDeps, item: { id: string; user_id: string; original_key: string }): Promise<Buffer> {
  const original = await deps.store.get(item.original_key);
  if (original) return original;
  if (!(await new ItemsRepository(deps.db).get(item.user_id, item.id))) throw new ItemGoneError(item.id);
  throw new PermanentError(`original image is missing from storage (${item.original_key})`);
}

/** Runs a write that references the item; a foreign-key violation means it was deleted meanwhile. */
async function gone<T>(ref: ItemRef, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isForeignKeyViolation(err)) throw new ItemGoneError(ref.item_id);
    throw err;
  }
}

function publishAnalysisComplete(deps: StepDeps, ref: ItemRef, analysisId: string) {
  return deps.bus.publish({ type: 'AnalysisComplete', detail: { ...ref, analysis_id: analysisId } });
}

/** Builds the search row from the latest analysis with the configured embedder. */
export async function embedStep(deps: StepDeps, ref: ItemRef): Promise<void> {
  const items = new ItemsRepository(deps.db);
  const item = await items.get(ref.user_id, ref.item_id);
  if (!item) return;
  const latest = await new AnalysesRepository(deps.db).latest(ref.user_id, ref.item_id);
  if (!latest) throw new PermanentError('item has no analysis to index');

  const rows = new SearchRowsRepository(deps.db);
  const current = await rows.get(ref.user_id, ref.item_id);
  const upToDate =
    current?.analysis_id === latest.id &&
    current.embedding_model === deps.embedder.id &&
    current.embedder_revision === (deps.embedder.revision ?? null);
  if (!upToDate) {
    const analysis = AnalysisSchema.parse(latest.raw);
    const [embedding] = await deps.embedder.embed([flatDocument(analysis)], 'document');
    if (!embedding) throw new Error('embedder returned no vector');
    await gone(ref, () =>
      rows.upsert({
        userId: ref.user_id,
        itemId: ref.item_id,
        analysisId: latest.id,
        analysis,
        embedding,
        embeddingModel: deps.embedder.id,
        embedderRevision: deps.embedder.revision ?? null,
      }),
    );
  }
  if (item.status !== 'ready') {
    await items.setStatus(ref.user_id, ref.item_id, 'ready');
    await deps.bus.publish({ type: 'ItemIndexed', detail: ref });
  }
}
