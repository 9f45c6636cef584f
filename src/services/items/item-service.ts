import { randomUUID } from 'node:crypto';
import { AppError, PermanentError, errorMessage, notFound } from '../../domain/errors.js';
import {
  ITEM_STATUSES,
  SUPPORTED_MIME_TYPES,
  cleanFilename,
  objectKeys,
  type AnalysisRecord,
  type Item,
  type ItemStatus,
  type NearDuplicate,
  type SupportedMimeType,
} from '../../domain/item.js';
import { pendingSha256 } from '../../domain/pending-upload.js';
import type { UploadPresigner, UploadTicket } from '../../ports/upload-presigner.js';
import { AnalysesRepository } from '../../repositories/analyses.js';
import { ItemsRepository } from '../../repositories/items.js';
import { inspectUpload } from '../pipeline/image/inspect.js';
import { MIN_HASH_FEATURES, NEAR_DUPLICATE_MAX_DISTANCE, isFeatureless } from '../pipeline/image/perceptual-hash.js';
import { sha256Hex } from '../pipeline/image/process.js';
import { retryFailed } from '../pipeline/pipeline.js';
import { analyzeStep, type StepDeps } from '../pipeline/steps.js';

/** An item with the category and headline of its live analysis. */
export type ListedItem = Item & { category: string | null; headline: string | null };

/** An item as its page shows it: with its live analysis. */
export interface ItemDetail {
  item: ListedItem;
  analysis: AnalysisRecord | null;
}

export interface ItemLimits {
  maxUploadBytes: number;
  maxImagePixels: number;
}

export interface ItemListQuery {
  status?: ItemStatus;
  category?: string;
  /** First and last creation day, YYYY-MM-DD (UTC), inclusive. */
  date_from?: string;
  date_to?: string;
  limit: number;
  offset: number;
}

export interface AnalyzeRequest {
  force_reanalyze: boolean;
  provider?: string;
  model?: string;
}

const SUPPORTED = Object.keys(SUPPORTED_MIME_TYPES) as SupportedMimeType[];
const isSupported = (t: string): t is SupportedMimeType => (SUPPORTED as string[]).includes(t);
const megabytes = (bytes: number) => Math.round(bytes / 1048576);

/**
 * The item use cases, whoever calls them (the HTTP routes today): upload, list, read, delete,
 * analyse, retry, and the bytes of originals and thumbnails. Every method is scoped by the
 * caller's user id; an item of another user is "not found", never "forbidden".
 */
export class ItemService {
  private readonly items: ItemsRepository;
  private readonly analyses: AnalysesRepository;

  constructor(
    private readonly steps: StepDeps,
    private readonly limits: ItemLimits,
    private readonly presigner: UploadPresigner | null,
  ) {
    this.items = new ItemsRepository(steps.db);
    this.analyses = new AnalysesRepository(steps.db);
  }

  /**
   * Stores an uploaded image and starts its processing. The same bytes twice give back the
   * item that already holds them (`duplicate`), with nothing stored again.
   */
  async upload(
    userId: string,
    file: { bytes: Buffer; name: string },
  ): Promise<ItemDetail & { duplicate: boolean; nearDuplicates: NearDuplicate[] }> {
    const { bytes } = file;
    if (bytes.length > this.limits.maxUploadBytes) {
      throw new AppError(413, 'payload_too_large', `Uploads are limited to ${megabytes(this.limits.maxUploadBytes)} MB.`);
    }
    const inspected = await inspectUpload(bytes, { maxPixels: this.limits.maxImagePixels });
    const sha256 = sha256Hex(bytes);
    const existing = await this.items.findBySha256(userId, sha256);
    if (existing) return { ...(await this.withAnalysis(userId, existing)), duplicate: true, nearDuplicates: [] };

    // Stored before anything else happens to it: a crash after this point loses nothing.
    const id = randomUUID();
    const originalKey = objectKeys.original(userId, id, inspected.ext);
    await this.steps.store.put(originalKey, bytes, inspected.mimeType);
    const { item, created } = await this.items.insertOrGetDuplicate({
      id,
      user_id: userId,
      filename: `${id}.${inspected.ext}`,
      original_filename: cleanFilename(file.name) || `${id}.${inspected.ext}`,
      mime_type: inspected.mimeType,
      file_size: bytes.length,
      sha256,
      original_key: originalKey,
      width: inspected.width,
      height: inspected.height,
      phash: inspected.phash,
    });
    if (!created) {
      await this.steps.store.delete(originalKey); // lost a race with the same bytes: keep one copy
      return { ...(await this.withAnalysis(userId, item)), duplicate: true, nearDuplicates: [] };
    }
    await this.steps.bus.publish({ type: 'ImageUploaded', detail: { item_id: id, user_id: userId, original_key: originalKey } });
    const nearDuplicates = await this.nearDuplicatesOf(userId, inspected.phash, id);
    return { item: { ...item, category: null, headline: null }, analysis: null, duplicate: false, nearDuplicates };
  }

  /**
   * A direct upload (S3 on AWS): the item is created now and a signed form returned; the bytes
   * go straight to the store, whose event starts processing. The duplicate check needs the
   * bytes, so the image processor makes it.
   */
  async startDirectUpload(
    userId: string,
    request: { filename: string; contentType: string; size: number },
  ): Promise<{ item: Item; ticket: UploadTicket; maxBytes: number }> {
    if (!this.presigner) {
      throw new AppError(
        503,
        'direct_uploads_unavailable',
        'Direct uploads need the S3 object store; send the file to POST /items instead.',
      );
    }
    const contentType = request.contentType.trim().toLowerCase();
    if (!isSupported(contentType)) {
      throw new AppError(400, 'unsupported_media_type', `Supported image types are ${SUPPORTED.join(', ')}.`);
    }
    const maxBytes = this.limits.maxUploadBytes;
    if (request.size > maxBytes) throw new AppError(400, 'file_too_large', `Uploads are limited to ${megabytes(maxBytes)} MB.`);

    const id = randomUUID();
    const ext = SUPPORTED_MIME_TYPES[contentType];
    const key = objectKeys.original(userId, id, ext);
    // Sign first: if signing fails, no row is left behind waiting for bytes that cannot come.
    const ticket = await this.presigner.presign({ key, contentType, maxBytes });
    // The row exists before the object, so the processor always finds it by key. Its hash is a
    // placeholder until the processor has read the bytes (domain/pending-upload.ts).
    const { item } = await this.items.insertOrGetDuplicate({
      id,
      user_id: userId,
      filename: `${id}.${ext}`,
      original_filename: cleanFilename(request.filename) || `${id}.${ext}`,
      mime_type: contentType,
      file_size: request.size,
      sha256: pendingSha256(id),
      original_key: key,
    });
    return { item, ticket, maxBytes };
  }

  list(userId: string, query: ItemListQuery): Promise<{ items: ListedItem[]; total: number }> {
    return this.items.list(userId, query);
  }

  /** Counts by status (every status, zero included) and by category. */
  async facets(userId: string) {
    const [byStatus, categories] = await Promise.all([this.items.countByStatus(userId), this.items.categoryCounts(userId)]);
    const by_status = Object.fromEntries(ITEM_STATUSES.map((s) => [s, byStatus[s] ?? 0])) as Record<ItemStatus, number>;
    return { total: Object.values(by_status).reduce((a, b) => a + b, 0), by_status, categories };
  }

  async detail(userId: string, id: string): Promise<ItemDetail> {
    return this.withAnalysis(userId, await this.get(userId, id));
  }

  /**
   * Row first (analyses and search row cascade), then the objects: a failure in between leaves
   * orphaned bytes, never a row that points at nothing. The thumbnail's key is the one
   * process_image writes, whether or not the row knew of it yet (a step mid-way); a step that
   * writes it after this finds no row and removes it itself (pipeline/steps.ts).
   */
  async delete(userId: string, id: string): Promise<void> {
    const item = await this.get(userId, id);
    await this.items.delete(userId, id);
    await Promise.all([this.steps.store.delete(item.original_key), this.steps.store.delete(objectKeys.thumbnail(userId, id))]);
  }

  /**
   * The live analysis (`created` false), or with `force_reanalyze` a new version from the
   * vision model. A provider failure is a 502 and leaves the previous analysis live.
   */
  async analyze(userId: string, id: string, request: AnalyzeRequest): Promise<{ analysis: AnalysisRecord; created: boolean }> {
    const item = await this.get(userId, id);
    const live = await this.analyses.latest(userId, id);
    if (live && !request.force_reanalyze) return { analysis: live, created: false };
    if (!item.thumbnail_key || item.status === 'uploaded') {
      throw new AppError(409, 'item_not_processed', 'The image is still being processed; try again when its status is analyzed or ready.');
    }
    try {
      const record = await analyzeStep(
        this.steps,
        { item_id: id, user_id: userId },
        {
          force: true,
          provider: request.provider,
          model: request.model,
        },
      );
      if (!record) throw notFound('Item');
      return { analysis: record, created: true };
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw new AppError(502, err instanceof PermanentError ? 'invalid_model_reply' : 'provider_error', errorMessage(err));
    }
  }

  /** Every analysis version of an item, newest first. */
  async analysesOf(userId: string, id: string): Promise<AnalysisRecord[]> {
    await this.get(userId, id);
    return this.analyses.listForItem(userId, id);
  }

  async analysis(userId: string, analysisId: string): Promise<AnalysisRecord> {
    const a = await this.analyses.get(userId, analysisId);
    if (!a) throw notFound('Analysis');
    return a;
  }

  /** The bytes of an item's original or thumbnail, with their content type. */
  async image(userId: string, id: string, kind: 'image' | 'thumbnail'): Promise<{ bytes: Buffer; contentType: string }> {
    const item = await this.items.get(userId, id);
    const key = kind === 'image' ? item?.original_key : item?.thumbnail_key;
    const what = kind === 'image' ? 'Image' : 'Thumbnail';
    if (!item || !key) throw notFound(what);
    return this.bytesOf(key, kind === 'image' ? item.mime_type : 'image/webp', what);
  }

  /** The original by its stored file name (`{id}.{ext}`), as collections-local served it. */
  async imageByFilename(userId: string, filename: string): Promise<{ bytes: Buffer; contentType: string }> {
    const item = await this.items.findByFilename(userId, filename);
    if (!item) throw notFound('Image');
    return this.bytesOf(item.original_key, item.mime_type, 'Image');
  }

  /**
   * Items that look like this one (perceptual hash within NEAR_DUPLICATE_MAX_DISTANCE bits),
   * closest first; empty until the image has been processed.
   */
  async nearDuplicates(userId: string, id: string): Promise<NearDuplicate[]> {
    await this.get(userId, id);
    const phash = await this.items.phashOf(userId, id);
    return phash ? this.nearDuplicatesOf(userId, phash, id) : [];
  }

  private nearDuplicatesOf(userId: string, phash: string, id: string): Promise<NearDuplicate[]> {
    if (isFeatureless(phash)) return Promise.resolve([]);
    return this.items.nearDuplicates(userId, phash, id, { maxDistance: NEAR_DUPLICATE_MAX_DISTANCE, minFeatures: MIN_HASH_FEATURES });
  }

  /** The items nearest in meaning (vector neighbours of the item's search row), most similar first. */
  async similar(userId: string, id: string, limit: number): Promise<(ListedItem & { similarity: number })[]> {
    await this.get(userId, id);
    return this.items.similar(userId, id, limit);
  }

  /** Puts a failed item back into the pipeline at the step that failed. */
  async retry(userId: string, id: string): Promise<Item> {
    const item = await this.get(userId, id);
    if (item.status !== 'failed') {
      throw new AppError(409, 'not_failed', `Only failed items can be retried; this one is ${item.status}.`);
    }
    await retryFailed(this.steps, { item_id: id, user_id: userId });
    return (await this.items.get(userId, id)) ?? item;
  }

  private async get(userId: string, id: string): Promise<Item> {
    const item = await this.items.get(userId, id);
    if (!item) throw notFound('Item');
    return item;
  }

  private async withAnalysis(userId: string, item: Item): Promise<ItemDetail> {
    const latest = await this.analyses.latest(userId, item.id);
    return { item: { ...item, category: latest?.category ?? null, headline: latest?.headline ?? null }, analysis: latest };
  }

  private async bytesOf(key: string, contentType: string, what: string): Promise<{ bytes: Buffer; contentType: string }> {
    const bytes = await this.steps.store.get(key);
    if (!bytes) throw notFound(what);
    return { bytes, contentType };
  }
}
