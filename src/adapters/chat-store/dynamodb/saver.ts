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
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RunnableConfig } from '@langchain/core/runnables';
import {
  BaseCheckpointSaver,
  type ChannelVersions,
  type Checkpoint,
  type CheckpointListOptions,
  type CheckpointMetadata,
  type CheckpointTuple,
  type PendingWrite,
  type SerializerProtocol,
} from '@langchain/langgraph-checkpoint';
import type { ObjectStore } from '../../../ports/object-store.js';
import { getCheckpointTuple, listCheckpointTuples } from './checkpoint-reads.js';
import { putCheckpoint, putPendingWrites } from './checkpoint-writes.js';
import { DEFAULT_RETRY, documentClient, type RetryPolicy } from './dynamo.js';
import { DEFAULT_PAYLOAD_LIMITS, PayloadStore, type PayloadLimits } from './payload.js';
import type { SaverContext } from './saver-context.js';
import { ATTR } from '../../../contracts/chat-table.js';
import { deleteThreadRecords, type ThreadDeletion } from './thread-deletion.js';

export { CheckpointConflictError } from './checkpoint-writes.js';
export type { ThreadDeletion } from './thread-deletion.js';

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

/**
 * The saver itself holds the configuration and the clock; reading (checkpoint-reads.ts),
 * writing (checkpoint-writes.ts) and deleting threads (thread-deletion.ts) are done through
 * the SaverContext it hands them.
 */
export class DynamoDbSaver extends BaseCheckpointSaver {
  readonly tableName: string;
  readonly ttlMs: number | undefined;
  private readonly clock: () => Date;
  private readonly context: SaverContext;

  constructor(options: DynamoDbSaverOptions) {
    super(options.serde);
    if (options.ttlMs !== undefined && !(options.ttlMs > 0)) throw new RangeError('ttlMs must be positive');
    this.tableName = options.tableName;
    this.ttlMs = options.ttlMs;
    this.clock = options.now ?? (() => new Date());
    const doc = documentClient(options.client);
    const retry = options.retry ?? DEFAULT_RETRY;
    const payloads = new PayloadStore({
      doc,
      tableName: this.tableName,
      blobs: options.blobs,
      limits: { ...DEFAULT_PAYLOAD_LIMITS, ...options.limits },
      retry,
    });
    const saver = this; // for the `serde` getter below
    this.context = {
      doc,
      tableName: this.tableName,
      payloads,
      blobs: options.blobs,
      // `serde` is a public field of BaseCheckpointSaver: read it when used, not once here.
      get serde() {
        return saver.serde;
      },
      retry,
      expiresAtSeconds: () => this.expiresAtSeconds(),
      isLive: (record) => this.isLive(record),
      nowSeconds: () => this.nowSeconds(),
      nextVersion: (current) => this.getNextVersion(current),
    };
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
    return getCheckpointTuple(this.context, config);
  }

  async *list(config: RunnableConfig, options: CheckpointListOptions = {}): AsyncGenerator<CheckpointTuple> {
    yield* listCheckpointTuples(this.context, config, options);
  }

  async put(
    config: RunnableConfig,
    checkpoint: Checkpoint,
    metadata: CheckpointMetadata,
    newVersions: ChannelVersions,
  ): Promise<RunnableConfig> {
    return putCheckpoint(this.context, config, checkpoint, metadata, newVersions);
  }

  async putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string, taskPath = ''): Promise<void> {
    await putPendingWrites(this.context, config, writes, taskId, taskPath);
  }

  async deleteThread(threadId: string): Promise<void> {
    await this.deleteThreadRecords(threadId);
  }

  /**
   * Deletes every record of the thread's partition (checkpoints, writes, parts, and the chat
   * session and lock records that share it) and the objects its payloads were moved to.
   */
  async deleteThreadRecords(threadId: string): Promise<ThreadDeletion> {
    return deleteThreadRecords(this.context, threadId);
  }

  private nowSeconds(): number {
    return Math.floor(this.clock().getTime() / 1000);
  }
}
