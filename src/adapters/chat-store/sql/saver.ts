import type { RunnableConfig } from '@langchain/core/runnables';
import {
  BaseCheckpointSaver,
  TASKS,
  WRITES_IDX_MAP,
  getCheckpointId,
  maxChannelVersion,
  type ChannelVersions,
  type Checkpoint,
  type CheckpointListOptions,
  type CheckpointMetadata,
  type CheckpointPendingWrite,
  type CheckpointTuple,
  type PendingWrite,
  type SerializerProtocol,
} from '@langchain/langgraph-checkpoint';
import type { Database } from '../../../ports/database.js';
import {
  insertBlob,
  insertWrite,
  selectBlobs,
  selectCheckpoints,
  selectWrites,
  threadNs,
  upsertCheckpoint,
  type CheckpointRow,
  type Serialized,
  type ThreadNs,
  type WriteRow,
} from './checkpoint-rows.js';
import { Expiry } from './expiry.js';
import { deleteThreadRows, touchThread } from './thread-rows.js';

export interface SqlSaverOptions {
  db: Database;
  /** Every record of a thread expires this long after the thread's last activity. */
  ttlMs: number;
  /** The clock (tests pass a fake one). */
  now?: () => Date;
  serde?: SerializerProtocol;
}

type StoredCheckpoint = Omit<Checkpoint, 'channel_values'>;

/**
 * LangGraph checkpointer on our Database port (PGlite on a laptop, Postgres elsewhere), with
 * MemorySaver's semantics: the reference every LangGraph saver follows. Laid out like the
 * official Postgres saver: a checkpoint row without its channel values, one blob per channel
 * version (a checkpoint stores only the channels that changed: newVersions), and the pending
 * writes of each checkpoint. Every row expires `ttlMs` after its thread's last put; reads hide
 * expired rows until the chat store's purge removes them.
 */
export class SqlSaver extends BaseCheckpointSaver {
  private readonly db: Database;
  private readonly expiry: Expiry;

  constructor(options: SqlSaverOptions) {
    super(options.serde);
    this.db = options.db;
    this.expiry = new Expiry(options.ttlMs, options.now);
  }

  async getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    const { threadId, ns, checkpointId } = readConfig(config);
    if (threadId === undefined) return undefined;
    const { now } = this.expiry.stamp();
    const [row] = await selectCheckpoints(this.db, { threadId, ns: ns ?? '', checkpointId, limit: 1 }, now);
    return row ? this.toTuple(row, now) : undefined;
  }

  async *list(config: RunnableConfig, options: CheckpointListOptions = {}): AsyncGenerator<CheckpointTuple> {
    const { threadId, ns, checkpointId } = readConfig(config);
    const { limit, before, filter } = options;
    if (limit !== undefined && limit <= 0) return;
    const { now } = this.expiry.stamp();
    const rows = await selectCheckpoints(
      this.db,
      {
        threadId,
        ns,
        checkpointId,
        before: before ? getCheckpointId(before) || undefined : undefined,
        metadataJson: filter && Object.keys(filter).length > 0 ? JSON.stringify(filter) : undefined,
        limit: limit === undefined ? undefined : Math.floor(limit),
      },
      now,
    );
    for (const row of rows) yield await this.toTuple(row, now);
  }

  async put(
    config: RunnableConfig,
    checkpoint: Checkpoint,
    metadata: CheckpointMetadata,
    newVersions: ChannelVersions,
  ): Promise<RunnableConfig> {
    const { threadId, ns = '', checkpointId: parentId } = readConfig(config);
    if (threadId === undefined) throw new Error('SqlSaver.put: config.configurable.thread_id is required');
    const { channel_values: values, ...stored } = checkpoint;
    const serialized = await this.dump(stored satisfies StoredCheckpoint);
    const blobs = await this.dumpChangedChannels(values, newVersions);
    const metadataJson = await this.dumpMetadata(metadata);
    const at = threadNs(threadId, ns);
    const t = this.expiry.stamp();
    await this.db.transaction(async (tx) => {
      await touchThread(tx, threadId, t);
      for (const blob of blobs) await insertBlob(tx, at, blob.channel, blob.version, blob.value, t);
      await upsertCheckpoint(tx, at, { checkpointId: checkpoint.id, parentId: parentId ?? null, checkpoint: serialized, metadataJson }, t);
    });
    return { configurable: { thread_id: threadId, checkpoint_ns: ns, checkpoint_id: checkpoint.id } };
  }

  async putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string, taskPath?: string): Promise<void> {
    const { threadId, ns = '', checkpointId } = readConfig(config);
    if (threadId === undefined) throw new Error('SqlSaver.putWrites: config.configurable.thread_id is required');
    if (checkpointId === undefined) throw new Error('SqlSaver.putWrites: config.configurable.checkpoint_id is required');
    const rows: WriteRow[] = await Promise.all(
      writes.map(async ([channel, value], i) => ({
        taskId,
        idx: WRITES_IDX_MAP[channel] ?? i,
        channel,
        value: await this.dump(value),
        taskPath: taskPath ?? '',
      })),
    );
    const at = threadNs(threadId, ns);
    const t = this.expiry.stamp();
    await this.db.transaction(async (tx) => {
      for (const row of rows) await insertWrite(tx, at, checkpointId, row, t);
    });
  }

  async deleteThread(threadId: string): Promise<void> {
    await deleteThreadRows(this.db, threadId, this.expiry.stamp().now);
  }

  private async toTuple(row: CheckpointRow, now: string): Promise<CheckpointTuple> {
    const stored = (await this.serde.loadsTyped(row.checkpoint.type, row.checkpoint.bytes)) as StoredCheckpoint;
    const checkpoint: Checkpoint = { ...stored, channel_values: await this.loadChannelValues(row, stored.channel_versions ?? {}, now) };
    if (checkpoint.v < 4 && row.parentId !== null) await this.migratePendingSends(checkpoint, row, row.parentId, now);
    const pendingWrites: CheckpointPendingWrite[] = await Promise.all(
      (await selectWrites(this.db, row, row.checkpointId, now)).map(
        async (w) => [w.taskId, w.channel, await this.load(w.value)] as CheckpointPendingWrite,
      ),
    );
    const configOf = (checkpointId: string): RunnableConfig => ({
      configurable: { thread_id: row.threadId, checkpoint_ns: row.ns, checkpoint_id: checkpointId },
    });
    return {
      config: configOf(row.checkpointId),
      checkpoint,
      metadata: (await this.serde.loadsTyped('json', JSON.stringify(row.metadata))) as CheckpointMetadata,
      pendingWrites,
      ...(row.parentId !== null ? { parentConfig: configOf(row.parentId) } : {}),
    };
  }

  /** The checkpoint's channel values: the blobs of the versions it records. */
  private async loadChannelValues(at: ThreadNs, versions: ChannelVersions, now: string): Promise<Record<string, unknown>> {
    const wanted = Object.fromEntries(Object.entries(versions).map(([channel, version]) => [channel, String(version)]));
    const blobs = await selectBlobs(this.db, at, wanted, now);
    return Object.fromEntries(await Promise.all(blobs.map(async (b) => [b.channel, await this.load(b.value)] as const)));
  }

  /**
   * Checkpoints older than format 4 kept pending sends in the parent's TASKS writes; LangGraph
   * expects them as a TASKS channel value, as MemorySaver rebuilds them.
   */
  private async migratePendingSends(checkpoint: Checkpoint, at: ThreadNs, parentId: string, now: string): Promise<void> {
    const sends = (await selectWrites(this.db, at, parentId, now)).filter((w) => w.channel === TASKS);
    checkpoint.channel_values ??= {};
    checkpoint.channel_values[TASKS] = await Promise.all(sends.map((w) => this.load(w.value)));
    checkpoint.channel_versions ??= {};
    const versions = Object.values(checkpoint.channel_versions);
    checkpoint.channel_versions[TASKS] = versions.length > 0 ? maxChannelVersion(...versions) : this.getNextVersion(undefined);
  }

  /** Blobs for the channels that changed in this step; a channel without a value has none. */
  private async dumpChangedChannels(values: Record<string, unknown>, newVersions: ChannelVersions) {
    const changed = Object.entries(newVersions).filter(([channel]) => Object.hasOwn(values, channel) && values[channel] !== undefined);
    return Promise.all(
      changed.map(async ([channel, version]) => ({ channel, version: String(version), value: await this.dump(values[channel]) })),
    );
  }

  /**
   * Metadata is stored as jsonb so list() can filter on it. It goes through the serde like
   * everything else (its JSON form is what the serde reads back); jsonb cannot hold U+0000, so
   * that character is dropped from strings, as the official Postgres saver does.
   */
  private async dumpMetadata(metadata: CheckpointMetadata): Promise<string> {
    const { type, bytes } = await this.dump(metadata);
    if (type !== 'json') throw new Error(`SqlSaver: checkpoint metadata must serialise to json, got ${type}`);
    const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return JSON.stringify(parsed, (_key, value: unknown) => (typeof value === 'string' ? value.replaceAll('\u0000', '') : value));
  }

  private async dump(value: unknown): Promise<Serialized> {
    const [type, bytes] = await this.serde.dumpsTyped(value);
    return { type, bytes };
  }

  private load(value: Serialized): Promise<unknown> {
    return this.serde.loadsTyped(value.type, value.bytes);
  }
}

/** The ids a config names, checked to be strings (they become SQL parameters). */
function readConfig(config: RunnableConfig): { threadId?: string; ns?: string; checkpointId?: string } {
  const c = config.configurable ?? {};
  return {
    threadId: optionalString(c.thread_id, 'thread_id'),
    ns: optionalString(c.checkpoint_ns, 'checkpoint_ns'),
    checkpointId: optionalString(getCheckpointId(config) || undefined, 'checkpoint_id'),
  };
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new Error(`SqlSaver: config.configurable.${name} must be a string, got ${typeof value}`);
  return value;
}
