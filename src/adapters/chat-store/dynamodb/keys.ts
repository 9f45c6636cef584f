/**
 * Where each record of a thread lives. The partition key is the LangGraph thread id; the sort
 * key says what the record is:
 *
 *   session                             the session record (only record with user_id, in the GSI)
 *   lock                                a turn's hold on the session (store.ts)
 *   cp#{ns}#{checkpointId}              a checkpoint with its metadata
 *   w#{ns}#{checkpointId}#{taskId}#{idx}  one pending write
 *   part#{sha256}#{n}                   the n-th slice of a payload too large for its record
 *
 * Components are escaped ('%' → %25, '#' → %23) so that '#' only ever separates them: a
 * namespace called `a#b` can then never be mistaken for namespace `a`. The checkpoint id is
 * left raw where it is the last component, so checkpoints of one namespace sort by id (ids
 * are uuid6, time ordered) and "latest" and "before" are key-range queries.
 */
import { threadOwner } from '../../../ports/chat-store.js';
import { isSafeUserId } from '../../identity/user-id.js';

export const SESSION_SK = 'session';
export const LOCK_SK = 'lock';
export const CHECKPOINT_PREFIX = 'cp#';
export const WRITE_PREFIX = 'w#';
export const PART_PREFIX = 'part#';

export function escapeKeyPart(value: string): string {
  return value.replace(/%/g, '%25').replace(/#/g, '%23');
}

/** Every checkpoint of a thread (namespace undefined) or those of one namespace. */
export function checkpointPrefix(ns?: string): string {
  return ns === undefined ? CHECKPOINT_PREFIX : `${CHECKPOINT_PREFIX}${escapeKeyPart(ns)}#`;
}

export function checkpointSk(ns: string, checkpointId: string): string {
  return `${checkpointPrefix(ns)}${checkpointId}`;
}

export function writesPrefix(ns: string, checkpointId: string): string {
  return `${WRITE_PREFIX}${escapeKeyPart(ns)}#${escapeKeyPart(checkpointId)}#`;
}

export function writeSk(ns: string, checkpointId: string, taskId: string, idx: number): string {
  return `${writesPrefix(ns, checkpointId)}${escapeKeyPart(taskId)}#${idx}`;
}

/** Parts are addressed by content, so a retried write can never overwrite another payload's. */
export function partSk(sha256: string, n: number): string {
  return `${PART_PREFIX}${sha256}#${n}`;
}

/** A path segment an object key accepts for any string ('.', '..', '' and '/' included). */
function keySegment(value: string): string {
  return value === '' ? '%' : encodeURIComponent(value).replace(/\./g, '%2E');
}

/**
 * The object key of an offloaded payload: under the user's prefix for chat threads
 * (`{userId}/chat/{sessionId}/{sha256}.bin`, so whatever removes a user's objects removes
 * these), under `chat/` for other threads. Content addressed, like parts.
 */
export function blobKey(thread: string, sha256: string): string {
  let owner: { userId: string; sessionId: string } | undefined;
  try {
    owner = threadOwner(thread);
  } catch {
    owner = undefined;
  }
  // A chat thread's user id is a safe first segment (identity adapters check it; checked again
  // here for threads that did not come from them). Session ids and foreign thread ids are
  // whatever the caller chose, so they are encoded.
  if (owner && !isSafeUserId(owner.userId)) owner = undefined;
  const prefix = owner ? `${owner.userId}/chat/${keySegment(owner.sessionId)}` : `chat/${keySegment(thread)}`;
  return `${prefix}/${sha256}.bin`;
}
