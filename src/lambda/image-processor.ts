import { ItemsRepository } from '../repositories/items.js';
import type { Item } from '../domain/item.js';
import type { Config } from '../config.js';
import type { StepDeps } from '../pipeline/steps.js';
import { buildRuntime, coldStart } from './runtime.js';
import { stepDeps } from './step-deps.js';
import { instrument, logger } from './observability.js';
import { S3ObjectCreatedSchema, keyCandidates, parseEvent, parseOriginalKey, pipelineEventSchema, type S3ObjectCreated } from './events.js';
import { processImageRun } from './pipeline-steps.js';
import { invocationOf, runStep, type StepOutcome } from './step-runner.js';
import { rememberLastRead } from './uploaded-object.js';

/**
 * How long an "Object Created" may name an item that is not in the database yet. POST /items
 * stores the original before it inserts the row, so its event can (rarely) arrive first; Lambda
 * retries it after about a minute. A late event for an item deleted meanwhile is dropped.
 */
const ROW_GRACE_MS = 5 * 60_000;

const ImageUploadedSchema = pipelineEventSchema('ImageUploaded');

/** Database, S3 and EventBridge: processing needs no model (and loads none). */
const runtime = coldStart(() =>
  buildRuntime('image-processor', ({ config, db }) => {
    const steps = stepDeps(config, db);
    return { steps, close: () => steps.close() };
  }),
);
type Runtime = { config: Config; steps: StepDeps };

export type ImageProcessorResult = { outcome: StepOutcome; item_id: string } | { outcome: 'ignored'; reason: string };

/**
 * The image processor: S3 "Object Created" for `{userId}/originals/{itemId}.{ext}` (rule
 * EVENT_PATTERNS.imageProcessor), or ImageUploaded from the API (POST /items/{id}/retry of a
 * process_image failure). Finds the item by its key, settles a direct upload (real hash,
 * duplicates), runs process_image, and publishes ImageProcessed.
 */
export const handler = instrument('image-processor', async (event: unknown, context): Promise<ImageProcessorResult> => {
  const fromStorage = (event as { source?: unknown } | null)?.source === 'aws.s3';
  const rt = await runtime();
  const found = fromStorage
    ? await itemOfObject(rt, parseEvent(S3ObjectCreatedSchema, event, 'an S3 Object Created event'))
    : await itemOfRetry(rt, parseEvent(ImageUploadedSchema, event, 'an ImageUploaded event'));
  if ('reason' in found) {
    logger.info('image event ignored', { reason: found.reason });
    return { outcome: 'ignored', reason: found.reason };
  }
  const steps = { ...rt.steps, store: rememberLastRead(rt.steps.store) };
  const run = processImageRun(found.item, { maxUploadBytes: rt.config.limits.maxUploadBytes, fromStorageEvent: fromStorage });
  const outcome = await runStep(steps, rt.config.pipeline, run, invocationOf(context));
  return { outcome, item_id: found.item.id };
});

type Found = { item: Item } | { reason: string };

async function itemOfObject({ steps, config }: Runtime, event: S3ObjectCreated): Promise<Found> {
  const { bucket, object } = event.detail;
  if (config.objectStore.kind !== 's3' || bucket.name !== config.objectStore.bucket) {
    return { reason: `object in bucket ${bucket.name}, not this function's` };
  }
  const items = new ItemsRepository(steps.db);
  let original: string | null = null;
  for (const key of keyCandidates(object.key)) {
    const parts = parseOriginalKey(key);
    if (!parts) continue;
    original = key;
    const item = await items.get(parts.userId, parts.itemId);
    // An upload through POST /items also publishes ImageUploaded: whichever event comes second
    // finds the step done and announces nothing (duplicate delivery is a no-op).
    if (item?.original_key === key) return { item };
  }
  if (!original) return { reason: 'not an original image key' };
  if (Date.now() - Date.parse(event.time) < ROW_GRACE_MS) {
    // Thrown, so Lambda retries: the row may be committed by then.
    throw new Error(`no item for the new object ${original} yet`);
  }
  return { reason: 'no item has this key (deleted?)' };
}

async function itemOfRetry({ steps }: Runtime, event: { detail: { item_id: string; user_id: string; original_key: string } }): Promise<Found> {
  const { item_id, user_id, original_key } = event.detail;
  const item = await new ItemsRepository(steps.db).get(user_id, item_id);
  if (!item) return { reason: 'the item no longer exists' };
  if (item.original_key !== original_key) return { reason: 'the event names another original than the item has' };
  return { item };
}
