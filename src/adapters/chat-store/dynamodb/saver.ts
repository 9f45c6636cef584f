/**
 * A LangGraph checkpointer on DynamoDB: one partition per thread (layout in keys.ts), records
 * that expire `ttlMs` after they are written (DynamoDB TTL on `expires_at`, and hidden on read
 * before that, since TTL deletion lags up to two days), payloads of any size (payload.ts).
 *
 * Semantics follow MemorySaver and the official conformance suite
 * (@langchain/langgraph-checkpoint-validation), with these choices:
 *
 * - A checkpoint is stored whole, in one record: its channel values are not shared with other
 *   checkpoints (as Postgres' per-version blobs are). Shared records would expire on their own
 *   schedule while a newer checkpoint still needed them, and two forks of a thread reuse the
 *   same channel version numbers for different values. What is stored follows the delta
 *   contract of `put` (a channel's value is there if this put wrote it, `newVersions`, or the
 *   thread already holds that channel at that version): a checkpoint that continues a parent
 *   keeps all its channel values (those it did not change are the parent's, as LangGraph
 *   passes them); a root checkpoint keeps the channels `newVersions` names plus those another
 *   checkpoint of its namespace stored at the same version (a `__copy__` of a root checkpoint),
 *   and drops the rest, as delta-storing savers do.
 * - The latest checkpoint is the newest one. If it has expired the thread has: an older
 *   checkpoint is never resumed in its place (that would silently rewind the conversation).
 * - Writes are idempotent for retried Lambdas: putting a checkpoint id that exists succeeds
 *   when the content is identical and throws CheckpointConflictError when it is not; a
 *   regular pending write keeps the first value stored for its (task, idx); special writes
 *   (errors, interrupts, ... WRITES_IDX_MAP) overwrite.
 * - Reads are strongly consistent: a turn resumes from the checkpoint the previous turn wrote
 *   a moment before, possibly in another Lambda container.
 *
 * A checkpoint record holds `checkpoint_ns`, `checkpoint_id`, `parent_checkpoint_id`, the
 * `checkpoint` and `metadata` payloads, `stored_versions` (channel → version of the values it
 * holds), `digest` (SHA-256 of its content, to recognise a retry) and `expires_at`; a write
 * record `checkpoint_ns`, `checkpoint_id`, `task_id`, `task_path`, `idx`, `channel`, the
 * `value` payload and `expires_at`. Ids and namespaces are read from these attributes, never
 * parsed out of sort keys.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RunnableConfig } from '@langchain/core/runnables';
import {
  BaseCheckpointSaver,
  TASKS,
  WRITES_IDX_MAP,
  compareWritesSortKeys,
  copyCheckpoint,
  maxChannelVersion,
  writesSortKey,
  type ChannelVersions,
  type Checkpoint,
  type CheckpointListOptions,
  type CheckpointMetadata,
  type CheckpointPendingWrite,
  type CheckpointTuple,
  type PendingWrite,
  type SerializerProtocol,
} from '@langchain/langgraph-checkpoint';
import { z } from 'zod';
import type { ObjectStore } from '../../../ports/object-store.js';
import {
  DEFAULT_RETRY,
  deleteItems,
  documentClient,
  isConditionalCheckFailed,
  queryItems,
  scanItems,
  type Key,
  type RetryPolicy,
} from './dynamo.js';
import {
  CHECKPOINT_PREFIX,
  LOCK_SK,
  PART_PREFIX,
  checkpointPrefix,
  checkpointSk,
  writeSk,
  writesPrefix,
} from './keys.js';
import { DEFAULT_PAYLOAD_LIMITS, PayloadStore, blobKeysOf, type PayloadLimits, type StoredPayload } from './payload.js';
import {
  PAYLOAD_ATTRIBUTES,
  asCheckpoint,
  asMetadata,
  checkpointRecord,
  configFor,
  contentDigest,
  keyRecord,
  matches,
  pick,
  readTarget,
  storedVersionsRecord,
  writeRecord,
  type CheckpointRecord,
  type WriteRecord,
} from './records.js';
import { ATTR } from './table.js';

export interface DynamoDbSaverOptions {
  /** A plain client (wrapped in a document client here) or a document client with default translation options. */
  client: DynamoDBClient | DynamoDBDocumentClient;
  tableName: string;
  /** Records expire this long after they are written; without it they never do. */
  ttlMs?: number;
  /** The clock for expiry (tests pass their own). */
  now?: () => Date;
  /** Where payloads too large for a record go; without it they are split across records. */
  blobs?: ObjectStore;
  serde?: SerializerProtocol;
  limits?: Partial<PayloadLimits>;
  retry?: RetryPolicy;
}

/** A different checkpoint is already stored under this id: storing it would corrupt the thread. */
export class CheckpointConflictError extends Error {
  override readonly name = 'CheckpointConflictError';
}

/** What deleting a thread removed. */
export interface ThreadDeletion {
  /** Records deleted, of every kind. */
  records: number;
  /** Of those, session, checkpoint and write records that had not expired yet. */
  visible: number;
}

export class DynamoDbSaver extends BaseCheckpointSaver {
  readonly tableName: string;
  readonly ttlMs: number | undefined;
  private readonly doc: DynamoDBDocumentClient;
  private readonly clock: () => Date;
  private readonly blobs: ObjectStore | undefined;
  private readonly payloads: PayloadStore;
  private readonly retry: RetryPolicy;

  constructor(options: DynamoDbSaverOptions) {
    super(options.serde);
    if (options.ttlMs !== undefined && !(options.ttlMs > 0)) throw new RangeError('ttlMs must be positive');
    this.tableName = options.tableName;
    this.ttlMs = options.ttlMs;
    this.doc = documentClient(options.client);
    this.clock = options.now ?? (() => new Date());
    this.blobs = options.blobs;
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.payloads = new PayloadStore({
      doc: this.doc,
      tableName: this.tableName,
      blobs: options.blobs,
      limits: { ...DEFAULT_PAYLOAD_LIMITS, ...options.limits },
      retry: this.retry,
    });
  }

  /** `expires_at` for a record written now: epoch seconds, rounded up so it never expires early. */
  expiresAtSeconds(): number | undefined {
    return this.ttlMs === undefined ? undefined : Math.ceil((this.clock().getTime() + this.ttlMs) / 1000);
  }

  /** Whether a record is still visible (DynamoDB may not have deleted an expired one yet). */
  isLive(record: { [ATTR.expiresAt]?: number | undefined }): boolean {
    const expires = record[ATTR.expiresAt];
    return expires === undefined || expires * 1000 > this.clock().getTime();
  }

  async getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    const { threadId, ns = '', checkpointId } = readTarget(config);
    if (threadId === undefined) return undefined;
    const record = checkpointId
      ? await this.readCheckpoint(threadId, ns, checkpointId)
      : await this.latestCheckpoint(threadId, ns);
    return record && this.toTuple(record);
  }

  async *list(config: RunnableConfig, options: CheckpointListOptions = {}): AsyncGenerator<CheckpointTuple> {
    const { before, filter } = options;
    let remaining = options.limit;
    if (remaining !== undefined && remaining <= 0) return;
    const { threadId, ns, checkpointId } = readTarget(config);
    const beforeId = before ? readTarget(before).checkpointId : undefined;
    const threads = threadId !== undefined ? [threadId] : await this.threadsWithCheckpoints();
    for (const thread of threads) {
      for await (const item of this.checkpointRecords(thread, ns, beforeId, remaining)) {
        const record = checkpointRecord.parse(item);
        if (!this.isLive(record)) continue;
        if (checkpointId !== undefined && record.checkpoint_id !== checkpointId) continue;
        if (beforeId !== undefined && !(record.checkpoint_id < beforeId)) continue;
        const metadata = asMetadata(await this.load(thread, record.metadata));
        if (filter && !matches(metadata, filter)) continue;
        yield await this.toTuple(record, metadata);
        if (remaining !== undefined && --remaining <= 0) return;
      }
    }
  }

  async put(
    config: RunnableConfig,
    checkpoint: Checkpoint,
    metadata: CheckpointMetadata,
    newVersions: ChannelVersions,
  ): Promise<RunnableConfig> {
    const { threadId, ns = '', checkpointId: parentId } = readTarget(config);
    if (threadId === undefined) {
      throw new Error('Failed to put checkpoint: config.configurable.thread_id is missing.');
    }
    const stored = copyCheckpoint(checkpoint);
    if (parentId === undefined) {
      // No parent to carry values over from: keep what this put wrote and what the namespace
      // already holds at the same version; a value that was never stored is not invented.
      const unlisted = Object.keys(stored.channel_values).filter((channel) => !Object.hasOwn(newVersions, channel));
      const held = await this.channelsHeld(threadId, ns, pick(stored.channel_versions, unlisted));
      const keep = (channel: string) => Object.hasOwn(newVersions, channel) || held.has(channel);
      stored.channel_values = Object.fromEntries(Object.entries(stored.channel_values).filter(([channel]) => keep(channel)));
    }
    // Which channel versions this record holds values of (for the lookup above).
    const storedVersions = pick(stored.channel_versions, Object.keys(stored.channel_values));
    const [serializedCheckpoint, serializedMetadata] = await Promise.all([
      this.serde.dumpsTyped(stored),
      this.serde.dumpsTyped(metadata),
    ]);
    const digest = contentDigest(serializedCheckpoint, serializedMetadata, parentId ?? '');
    const expires = this.expiresAtSeconds();
    const item = await this.payloads.pack(
      threadId,
      {
        [ATTR.pk]: threadId,
        [ATTR.sk]: checkpointSk(ns, checkpoint.id),
        checkpoint_ns: ns,
        checkpoint_id: checkpoint.id,
        parent_checkpoint_id: parentId,
        stored_versions: storedVersions,
        digest,
        [ATTR.expiresAt]: expires,
      },
      { checkpoint: serializedCheckpoint, metadata: serializedMetadata },
    );
    try {
      // New, or the same content again (a retry; it refreshes the expiry), or replacing a
      // record that has expired but not been deleted yet. Anything else is a conflict.
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(#pk) OR #digest = :digest OR #exp <= :now',
          ExpressionAttributeNames: { '#pk': ATTR.pk, '#digest': 'digest', '#exp': ATTR.expiresAt },
          ExpressionAttributeValues: { ':digest': digest, ':now': this.nowSeconds() },
        }),
      );
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
      throw new CheckpointConflictError(
        `Checkpoint ${checkpoint.id} of thread ${threadId} (namespace "${ns}") already exists with different content`,
      );
    }
    return configFor(threadId, ns, checkpoint.id);
  }

  async putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string, taskPath = ''): Promise<void> {
    const { threadId, ns = '', checkpointId } = readTarget(config);
    if (threadId === undefined) throw new Error('Failed to put writes: config.configurable.thread_id is missing.');
    if (checkpointId === undefined) {
      throw new Error('Failed to put writes: config.configurable.checkpoint_id is missing.');
    }
    const expires = this.expiresAtSeconds();
    await Promise.all(
      writes.map(async ([channel, value], index) => {
        const idx = WRITES_IDX_MAP[channel] ?? index;
        const serialized = await this.serde.dumpsTyped(value);
        const item = await this.payloads.pack(
          threadId,
          {
            [ATTR.pk]: threadId,
            [ATTR.sk]: writeSk(ns, checkpointId, taskId, idx),
            checkpoint_ns: ns,
            checkpoint_id: checkpointId,
            task_id: taskId,
            task_path: taskPath,
            idx,
            channel,
            [ATTR.expiresAt]: expires,
          },
          { value: serialized },
        );
        if (idx < 0) {
          // Special writes (error, interrupt, resume, scheduled) replace what was there.
          await this.doc.send(new PutCommand({ TableName: this.tableName, Item: item }));
          return;
        }
        try {
          await this.doc.send(
            new PutCommand({
              TableName: this.tableName,
              Item: item,
              ConditionExpression: 'attribute_not_exists(#pk) OR #exp <= :now',
              ExpressionAttributeNames: { '#pk': ATTR.pk, '#exp': ATTR.expiresAt },
              ExpressionAttributeValues: { ':now': this.nowSeconds() },
            }),
          );
        } catch (err) {
          // A regular write keeps the first value stored (a retried task writes it again).
          if (!isConditionalCheckFailed(err)) throw err;
        }
      }),
    );
  }

  async deleteThread(threadId: string): Promise<void> {
    await this.deleteThreadRecords(threadId);
  }

  /**
   * Deletes every record of the thread's partition (checkpoints, writes, parts, and the chat
   * session and lock records that share it) and the objects its payloads were moved to.
   * Objects go first: if deleting records fails halfway, a retry still finds the records that
   * point at the remaining objects, so nothing is left behind unreferenced.
   */
  async deleteThreadRecords(threadId: string): Promise<ThreadDeletion> {
    const names: Record<string, string> = { '#pk': ATTR.pk, '#sk': ATTR.sk, '#exp': ATTR.expiresAt, '#blob': 'blob' };
    const blobPaths = PAYLOAD_ATTRIBUTES.map((name, i) => {
      names[`#p${i}`] = name;
      return `#p${i}.#blob`;
    });
    const keys: Key[] = [];
    const blobKeys = new Set<string>();
    let visible = 0;
    for await (const item of queryItems(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :pk',
      ProjectionExpression: ['#pk', '#sk', '#exp', ...blobPaths].join(', '),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ':pk': threadId },
      ConsistentRead: true,
    })) {
      const record = keyRecord.parse(item);
      keys.push({ [ATTR.pk]: record[ATTR.pk], [ATTR.sk]: record[ATTR.sk] });
      for (const key of blobKeysOf(item, PAYLOAD_ATTRIBUTES)) blobKeys.add(key);
      const internal = record[ATTR.sk] === LOCK_SK || record[ATTR.sk].startsWith(PART_PREFIX);
      if (!internal && this.isLive(record)) visible++;
    }
    if (blobKeys.size > 0) {
      const { blobs } = this;
      if (!blobs) throw new Error(`Thread ${threadId} has payloads in an object store, but none is configured`);
      await Promise.all([...blobKeys].map((key) => blobs.delete(key)));
    }
    await deleteItems(this.doc, this.tableName, keys, this.retry);
    return { records: keys.length, visible };
  }

  private nowSeconds(): number {
    return Math.floor(this.clock().getTime() / 1000);
  }

  private async readCheckpoint(
    threadId: string,
    ns: string,
    checkpointId: string,
  ): Promise<CheckpointRecord | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { [ATTR.pk]: threadId, [ATTR.sk]: checkpointSk(ns, checkpointId) },
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    const record = checkpointRecord.parse(Item);
    return this.isLive(record) ? record : undefined;
  }

  private async latestCheckpoint(threadId: string, ns: string): Promise<CheckpointRecord | undefined> {
    const { Items } = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        ExpressionAttributeNames: { '#pk': ATTR.pk, '#sk': ATTR.sk },
        ExpressionAttributeValues: { ':pk': threadId, ':prefix': checkpointPrefix(ns) },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const newest = Items?.[0];
    if (!newest) return undefined;
    const record = checkpointRecord.parse(newest);
    return this.isLive(record) ? record : undefined;
  }

  /** A thread's checkpoints, newest first (per namespace when `ns` is undefined). */
  private checkpointRecords(threadId: string, ns: string | undefined, beforeId: string | undefined, pageSize?: number) {
    const prefix = checkpointPrefix(ns);
    // Within one namespace "before" is a key range; across namespaces it is filtered after.
    const range =
      ns !== undefined && beforeId !== undefined
        ? { condition: '#sk BETWEEN :low AND :high', values: { ':low': prefix, ':high': prefix + beforeId } }
        : { condition: 'begins_with(#sk, :low)', values: { ':low': prefix } };
    return queryItems(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: `#pk = :pk AND ${range.condition}`,
      ExpressionAttributeNames: { '#pk': ATTR.pk, '#sk': ATTR.sk },
      ExpressionAttributeValues: { ':pk': threadId, ...range.values },
      ScanIndexForward: false,
      ConsistentRead: true,
      Limit: pageSize,
    });
  }

  /**
   * Which of `wanted` (channel → version) some unexpired checkpoint of the namespace holds a
   * value of, at that version. Only root puts that leave channels out of `newVersions` ask.
   */
  private async channelsHeld(threadId: string, ns: string, wanted: ChannelVersions): Promise<Set<string>> {
    const held = new Set<string>();
    const channels = Object.keys(wanted);
    if (channels.length === 0) return held;
    for await (const item of queryItems(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ProjectionExpression: 'stored_versions, #exp',
      ExpressionAttributeNames: { '#pk': ATTR.pk, '#sk': ATTR.sk, '#exp': ATTR.expiresAt },
      ExpressionAttributeValues: { ':pk': threadId, ':prefix': checkpointPrefix(ns) },
      ScanIndexForward: false,
      ConsistentRead: true,
    })) {
      const record = storedVersionsRecord.parse(item);
      if (!this.isLive(record)) continue;
      for (const channel of channels) {
        if (record.stored_versions?.[channel] === wanted[channel]) held.add(channel);
      }
      if (held.size === channels.length) break;
    }
    return held;
  }

  /** Listing without a thread id reads the whole table: meant for tools, not for turns. */
  private async threadsWithCheckpoints(): Promise<string[]> {
    const threads = new Set<string>();
    for await (const item of scanItems(this.doc, {
      TableName: this.tableName,
      FilterExpression: 'begins_with(#sk, :prefix)',
      ProjectionExpression: '#pk',
      ExpressionAttributeNames: { '#pk': ATTR.pk, '#sk': ATTR.sk },
      ExpressionAttributeValues: { ':prefix': CHECKPOINT_PREFIX },
      ConsistentRead: true,
    })) {
      threads.add(z.object({ [ATTR.pk]: z.string() }).parse(item)[ATTR.pk]);
    }
    return [...threads];
  }

  private async toTuple(record: CheckpointRecord, knownMetadata?: CheckpointMetadata): Promise<CheckpointTuple> {
    const threadId = record[ATTR.pk];
    const { checkpoint_ns: ns, checkpoint_id: checkpointId, parent_checkpoint_id: parentId } = record;
    const [checkpoint, metadata, pendingWrites] = await Promise.all([
      this.load(threadId, record.checkpoint).then(asCheckpoint),
      knownMetadata ?? this.load(threadId, record.metadata).then(asMetadata),
      this.pendingWrites(threadId, ns, checkpointId),
    ]);
    if (checkpoint.v < 4 && parentId !== undefined) {
      await this.migratePendingSends(checkpoint, threadId, ns, parentId);
    }
    return {
      config: configFor(threadId, ns, checkpointId),
      checkpoint,
      metadata,
      pendingWrites,
      ...(parentId !== undefined && { parentConfig: configFor(threadId, ns, parentId) }),
    };
  }

  private async load(threadId: string, payload: StoredPayload): Promise<unknown> {
    const [type, data] = await this.payloads.unpack(threadId, payload);
    const value: unknown = await this.serde.loadsTyped(type, data);
    return value;
  }

  /** A checkpoint's unexpired writes in `writesSortKey` order (task path, task id, idx). */
  private async orderedWrites(threadId: string, ns: string, checkpointId: string): Promise<WriteRecord[]> {
    const records: WriteRecord[] = [];
    for await (const item of queryItems(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: { '#pk': ATTR.pk, '#sk': ATTR.sk },
      ExpressionAttributeValues: { ':pk': threadId, ':prefix': writesPrefix(ns, checkpointId) },
      ConsistentRead: true,
    })) {
      const record = writeRecord.parse(item);
      if (this.isLive(record)) records.push(record);
    }
    const sortKey = (w: WriteRecord) => writesSortKey(w.task_path, w.task_id, w.idx);
    return records.sort((a, b) => compareWritesSortKeys(sortKey(a), sortKey(b)));
  }

  private async pendingWrites(threadId: string, ns: string, checkpointId: string): Promise<CheckpointPendingWrite[]> {
    const writes = await this.orderedWrites(threadId, ns, checkpointId);
    return Promise.all(
      writes.map(async (w): Promise<CheckpointPendingWrite> => [
        w.task_id,
        w.channel,
        await this.load(threadId, w.value),
      ]),
    );
  }

  /**
   * Checkpoints before format v4 kept pending sends as writes to TASKS on their parent; they
   * become the TASKS channel value, exactly as MemorySaver migrates them.
   */
  private async migratePendingSends(checkpoint: Checkpoint, threadId: string, ns: string, parentId: string) {
    const parentWrites = await this.orderedWrites(threadId, ns, parentId);
    const sends = await Promise.all(
      parentWrites.filter((w) => w.channel === TASKS).map((w) => this.load(threadId, w.value)),
    );
    checkpoint.channel_values ??= {};
    checkpoint.channel_values[TASKS] = sends;
    checkpoint.channel_versions ??= {};
    const versions = Object.values(checkpoint.channel_versions);
    checkpoint.channel_versions[TASKS] =
      versions.length > 0 ? maxChannelVersion(...versions) : this.getNextVersion(undefined);
  }
}
