import { compareWritesSortKeys, writesSortKey } from '@langchain/langgraph-checkpoint';
import type { Queryable } from '../../../ports/database.js';
import type { Stamp } from './expiry.js';
import { threadKey } from './thread-rows.js';
import { fromBase64, toBase64 } from './values.js';

/**
 * The SQL of the checkpoint tables: bytes in, bytes out. What the bytes mean (serde, LangGraph
 * semantics) is the saver's business (saver.ts). Every read hides expired rows.
 */

/** One namespace of one thread, the prefix of every checkpoint key. */
export interface ThreadNs {
  userId: string;
  threadId: string;
  ns: string;
}

export function threadNs(threadId: string, ns: string): ThreadNs {
  return { userId: threadKey(threadId).userId, threadId, ns };
}

export interface Serialized {
  type: string;
  bytes: Uint8Array;
}

export interface CheckpointRow extends ThreadNs {
  checkpointId: string;
  parentId: string | null;
  checkpoint: Serialized;
  /** The metadata as jsonb returns it (parsed JSON). */
  metadata: unknown;
}

export interface BlobRow {
  channel: string;
  value: Serialized;
}

export interface WriteRow {
  taskId: string;
  idx: number;
  channel: string;
  value: Serialized;
  taskPath: string;
}

/** Writes a checkpoint; putting the same id again replaces it (as MemorySaver does). */
export async function upsertCheckpoint(
  q: Queryable,
  at: ThreadNs,
  c: { checkpointId: string; parentId: string | null; checkpoint: Serialized; metadataJson: string },
  t: Stamp,
): Promise<void> {
  await q.query(
    `INSERT INTO chat_checkpoints
       (user_id, thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, type, checkpoint, metadata, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, decode($7, 'base64'), $8::jsonb, $9::timestamptz)
     ON CONFLICT (user_id, thread_id, checkpoint_ns, checkpoint_id) DO UPDATE SET
       parent_checkpoint_id = EXCLUDED.parent_checkpoint_id, type = EXCLUDED.type,
       checkpoint = EXCLUDED.checkpoint, metadata = EXCLUDED.metadata, expires_at = EXCLUDED.expires_at`,
    [
      at.userId,
      at.threadId,
      at.ns,
      c.checkpointId,
      c.parentId,
      c.checkpoint.type,
      toBase64(c.checkpoint.bytes),
      c.metadataJson,
      t.expiresAt,
    ],
  );
}

/**
 * Writes one channel version's value. A live row for the same version is kept, as the official
 * Postgres saver keeps it (DO NOTHING): a version names one value of the channel. An expired
 * row is a leftover of a thread that expired before its id was used again, whose versions
 * started over: it is replaced.
 */
export async function insertBlob(q: Queryable, at: ThreadNs, channel: string, version: string, value: Serialized, t: Stamp): Promise<void> {
  await q.query(
    `INSERT INTO chat_blobs (user_id, thread_id, checkpoint_ns, channel, version, type, blob, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, decode($7, 'base64'), $8::timestamptz)
     ON CONFLICT (user_id, thread_id, checkpoint_ns, channel, version) DO UPDATE SET
       type = EXCLUDED.type, blob = EXCLUDED.blob, expires_at = EXCLUDED.expires_at
     WHERE chat_blobs.expires_at <= $9::timestamptz`,
    [at.userId, at.threadId, at.ns, channel, version, value.type, toBase64(value.bytes), t.expiresAt, t.now],
  );
}

/**
 * Writes one pending write with MemorySaver's rule: a special write (negative idx: error,
 * interrupt, …) replaces the previous one, while an ordinary write that is already stored for
 * this task and position is kept (the first attempt's result stands), unless it has expired.
 */
export async function insertWrite(q: Queryable, at: ThreadNs, checkpointId: string, w: WriteRow, t: Stamp): Promise<void> {
  await q.query(
    `INSERT INTO chat_writes
       (user_id, thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, value, task_path, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, decode($9, 'base64'), $10, $11::timestamptz)
     ON CONFLICT (user_id, thread_id, checkpoint_ns, checkpoint_id, task_id, idx) DO UPDATE SET
       channel = EXCLUDED.channel, type = EXCLUDED.type, value = EXCLUDED.value,
       task_path = EXCLUDED.task_path, expires_at = EXCLUDED.expires_at
     WHERE EXCLUDED.idx < 0 OR chat_writes.expires_at <= $12::timestamptz`,
    [
      at.userId,
      at.threadId,
      at.ns,
      checkpointId,
      w.taskId,
      w.idx,
      w.channel,
      w.value.type,
      toBase64(w.value.bytes),
      w.taskPath,
      t.expiresAt,
      t.now,
    ],
  );
}

export interface CheckpointQuery {
  threadId?: string;
  /** Undefined: every namespace. */
  ns?: string;
  checkpointId?: string;
  /** Only checkpoints older than this id. */
  before?: string;
  /** JSON the metadata must contain (`@>`). */
  metadataJson?: string;
  limit?: number;
}

interface CheckpointDbRow {
  user_id: string;
  thread_id: string;
  checkpoint_ns: string;
  checkpoint_id: string;
  parent_checkpoint_id: string | null;
  type: string;
  checkpoint: unknown; // base64
  metadata: unknown;
}

/** Unexpired checkpoints, newest first. */
export async function selectCheckpoints(q: Queryable, query: CheckpointQuery, now: string): Promise<CheckpointRow[]> {
  const params: unknown[] = [now];
  const where = ['expires_at > $1::timestamptz'];
  const add = (condition: (param: string) => string, value: unknown) => {
    params.push(value);
    where.push(condition(`$${params.length}`));
  };
  if (query.threadId !== undefined) {
    add((p) => `user_id = ${p}`, threadKey(query.threadId).userId);
    add((p) => `thread_id = ${p}`, query.threadId);
  }
  if (query.ns !== undefined) add((p) => `checkpoint_ns = ${p}`, query.ns);
  if (query.checkpointId !== undefined) add((p) => `checkpoint_id = ${p}`, query.checkpointId);
  if (query.before !== undefined) add((p) => `checkpoint_id < ${p}`, query.before);
  if (query.metadataJson !== undefined) add((p) => `metadata @> ${p}::jsonb`, query.metadataJson);
  let limit = '';
  if (query.limit !== undefined) {
    params.push(query.limit);
    limit = `LIMIT $${params.length}`;
  }
  const r = await q.query<CheckpointDbRow>(
    `SELECT user_id, thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, type,
            encode(checkpoint, 'base64') AS checkpoint, metadata
     FROM chat_checkpoints WHERE ${where.join(' AND ')}
     ORDER BY checkpoint_id DESC, thread_id, checkpoint_ns ${limit}`,
    params,
  );
  return r.rows.map((row) => ({
    userId: row.user_id,
    threadId: row.thread_id,
    ns: row.checkpoint_ns,
    checkpointId: row.checkpoint_id,
    parentId: row.parent_checkpoint_id,
    checkpoint: { type: row.type, bytes: fromBase64(row.checkpoint) },
    metadata: row.metadata,
  }));
}

/** The values of the given channel versions (`{channel: version}`) that are stored and live. */
export async function selectBlobs(q: Queryable, at: ThreadNs, versions: Record<string, string>, now: string): Promise<BlobRow[]> {
  if (Object.keys(versions).length === 0) return [];
  const r = await q.query<{ channel: string; type: string; blob: unknown }>(
    `SELECT b.channel, b.type, encode(b.blob, 'base64') AS blob
     FROM chat_blobs b
     JOIN jsonb_each_text($4::jsonb) AS v (channel, version) ON b.channel = v.channel AND b.version = v.version
     WHERE b.user_id = $1 AND b.thread_id = $2 AND b.checkpoint_ns = $3 AND b.expires_at > $5::timestamptz`,
    [at.userId, at.threadId, at.ns, JSON.stringify(versions), now],
  );
  return r.rows.map((row) => ({ channel: row.channel, value: { type: row.type, bytes: fromBase64(row.blob) } }));
}

/**
 * A checkpoint's live pending writes in `writesSortKey` order (task path, task id, idx), the
 * order live execution applies them in. Sorted here with LangGraph's own comparator rather
 * than by SQL, whose text order depends on collation.
 */
export async function selectWrites(q: Queryable, at: ThreadNs, checkpointId: string, now: string): Promise<WriteRow[]> {
  const r = await q.query<{ task_id: string; idx: number; channel: string; type: string; value: unknown; task_path: string }>(
    `SELECT task_id, idx, channel, type, encode(value, 'base64') AS value, task_path
     FROM chat_writes
     WHERE user_id = $1 AND thread_id = $2 AND checkpoint_ns = $3 AND checkpoint_id = $4 AND expires_at > $5::timestamptz`,
    [at.userId, at.threadId, at.ns, checkpointId, now],
  );
  return r.rows
    .map((row) => ({
      taskId: row.task_id,
      idx: row.idx,
      channel: row.channel,
      value: { type: row.type, bytes: fromBase64(row.value) },
      taskPath: row.task_path,
    }))
    .sort((a, b) => compareWritesSortKeys(writesSortKey(a.taskPath, a.taskId, a.idx), writesSortKey(b.taskPath, b.taskId, b.idx)));
}
