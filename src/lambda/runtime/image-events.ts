import type { Item } from '../../domain/item.js';
import type { StepDeps } from '../../services/pipeline/steps.js';
import { ItemsRepository } from '../../repositories/items.js';
import type { Config } from '../../shared/config.js';
import { keyCandidates, parseOriginalKey, type S3ObjectCreated } from './events.js';

/**
 * How long an "Object Created" may name an item that is not in the database yet. POST /items
 * stores the original before it inserts the row, so its event can (rarely) arrive first; Lambda
 * retries it after about a minute. A late event for an item deleted meanwhile is dropped.
 */
const ROW_GRACE_MS = 5 * 60_000;

type Runtime = { config: Config; steps: StepDeps };

/** The item an image event is about, or why the event is not for this function. */
export type Found = { item: Item } | { reason: string };

export async function itemOfObject({ steps, config }: Runtime, event: S3ObjectCreated): Promise<Found> {
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

export async function itemOfRetry(
  { steps }: Runtime,
  event: { detail: { item_id: string; user_id: string; original_key: string } },
): Promise<Found> {
  const { item_id, user_id, original_key } = event.detail;
  const item = await new ItemsRepository(steps.db).get(user_id, item_id);
  if (!item) return { reason: 'the item no longer exists' };
  if (item.original_key !== original_key) return { reason: 'the event names another original than the item has' };
  return { item };
}
