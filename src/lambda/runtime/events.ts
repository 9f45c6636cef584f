import { z } from 'zod';
import { EVENT_SOURCES, type PipelineEventType } from '../../ports/event-bus.js';
import { isSafeUserId } from '../../adapters/identity/user-id.js';

/**
 * The events the handlers accept, checked at the boundary: EventBridge envelopes (the fields
 * every event has) around S3's "Object Created" detail or a pipeline detail (DESIGN.md §2).
 * Unknown fields are allowed (AWS adds fields over time); missing or mistyped ones are not.
 */
const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'not a uuid');
const userId = z.string().refine(isSafeUserId, 'not a usable user id');
const key = z.string().min(1).max(1024);

const envelope = {
  id: z.string(),
  time: z.string(),
  source: z.string(),
};

/** S3 → EventBridge (the bucket has EventBridge notifications on). */
export const S3ObjectCreatedSchema = z.object({
  ...envelope,
  source: z.literal('aws.s3'),
  'detail-type': z.literal('Object Created'),
  detail: z.object({
    bucket: z.object({ name: z.string() }),
    object: z.object({ key, size: z.number().int().nonnegative().optional() }),
  }),
});
export type S3ObjectCreated = z.infer<typeof S3ObjectCreatedSchema>;

const ref = { item_id: uuid, user_id: userId };
const DETAILS = {
  ImageUploaded: z.object({ ...ref, original_key: key }),
  ImageProcessed: z.object({ ...ref, original_key: key, thumbnail_key: key }),
  AnalysisComplete: z.object({ ...ref, analysis_id: uuid }),
  ItemIndexed: z.object(ref),
} satisfies Record<PipelineEventType, z.ZodType>;

/** A pipeline event as EventBridge delivers it: source and detail-type must be the pair we publish. */
export function pipelineEventSchema<K extends PipelineEventType>(type: K) {
  return z.object({
    ...envelope,
    source: z.literal(EVENT_SOURCES[type]),
    'detail-type': z.literal(type),
    detail: DETAILS[type] as (typeof DETAILS)[K],
  });
}

/** Parses or throws one line that says what was wrong (the event itself is not echoed). */
export function parseEvent<S extends z.ZodType>(schema: S, event: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(event);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`).join('; ');
  throw new Error(`not ${what}: ${issues}`);
}

/** `{userId}/originals/{itemId}.{ext}` → its parts; anything else (thumbnails, strays) → null. */
export function parseOriginalKey(objectKey: string): { userId: string; itemId: string; ext: string } | null {
  const m = /^([^/]+)\/originals\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([a-z0-9]+)$/i.exec(objectKey);
  if (!m || !isSafeUserId(m[1])) return null;
  return { userId: m[1]!, itemId: m[2]!.toLowerCase(), ext: m[3]! };
}

/**
 * The keys an event's key may stand for. S3's notifications to SQS/SNS/Lambda URL-encode keys
 * ("a b" → "a+b"); nothing here relies on EventBridge's never doing so, so both are tried: the
 * key as sent first, then its decoding. (Keys this app writes are uuids and ids without such
 * characters; this only matters for an unusual user id.)
 */
export function keyCandidates(eventKey: string): string[] {
  let decoded = eventKey;
  try {
    decoded = decodeURIComponent(eventKey.replace(/\+/g, ' '));
  } catch {
    // not valid percent-encoding: only the raw key is possible
  }
  return decoded === eventKey ? [eventKey] : [eventKey, decoded];
}
