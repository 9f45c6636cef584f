/**
 * DynamoDbSaver's write path: storing a checkpoint whole in one record (put) and the pending
 * writes of a task (putWrites), both idempotent for retried Lambdas.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { RunnableConfig } from '@langchain/core/runnables';
import {
  WRITES_IDX_MAP,
  copyCheckpoint,
  type ChannelVersions,
  type Checkpoint,
  type CheckpointMetadata,
  type PendingWrite,
} from '@langchain/langgraph-checkpoint';
import { isConditionalCheckFailed, queryItems } from './dynamo.js';
import { checkpointPrefix, checkpointSk, writeSk } from './keys.js';
import { configFor, contentDigest, pick, readTarget, storedVersionsRecord } from './records.js';
import type { SaverContext } from './saver-context.js';
import { ATTR } from '../../../contracts/chat-table.js';

/** A different checkpoint is already stored under this id: storing it would corrupt the thread. */
export class CheckpointConflictError extends Error {
  override readonly name = 'CheckpointConflictError';
}

/** BaseCheckpointSaver.put: stores the checkpoint (see the delta contract in saver.ts). */
export async function putCheckpoint(
  ctx: SaverContext,
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
    const held = await channelsHeld(ctx, threadId, ns, pick(stored.channel_versions, unlisted));
    const keep = (channel: string) => Object.hasOwn(newVersions, channel) || held.has(channel);
    stored.channel_values = Object.fromEntries(Object.entries(stored.channel_values).filter(([channel]) => keep(channel)));
  }
  // Which channel versions this record holds values of (for the lookup above).
  const storedVersions = pick(stored.channel_versions, Object.keys(stored.channel_values));
  const [serializedCheckpoint, serializedMetadata] = await Promise.all([ctx.serde.dumpsTyped(stored), ctx.serde.dumpsTyped(metadata)]);
  const digest = contentDigest(serializedCheckpoint, serializedMetadata, parentId ?? '');
  const expires = ctx.expiresAtSeconds();
  const item = await ctx.payloads.pack(
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
    await ctx.doc.send(
      new PutCommand({
        TableName: ctx.tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(#pk) OR #digest = :digest OR #exp <= :now',
        ExpressionAttributeNames: { '#pk': ATTR.pk, '#digest': 'digest', '#exp': ATTR.expiresAt },
        ExpressionAttributeValues: { ':digest': digest, ':now': ctx.nowSeconds() },
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

/** BaseCheckpointSaver.putWrites: one record per write, keyed by (checkpoint, task, idx). */
export async function putPendingWrites(
  ctx: SaverContext,
  config: RunnableConfig,
  writes: PendingWrite[],
  taskId: string,
  taskPath: string,
): Promise<void> {
  const { threadId, ns = '', checkpointId } = readTarget(config);
  if (threadId === undefined) throw new Error('Failed to put writes: config.configurable.thread_id is missing.');
  if (checkpointId === undefined) {
    throw new Error('Failed to put writes: config.configurable.checkpoint_id is missing.');
  }
  const expires = ctx.expiresAtSeconds();
  await Promise.all(
    writes.map(async ([channel, value], index) => {
      const idx = WRITES_IDX_MAP[channel] ?? index;
      const serialized = await ctx.serde.dumpsTyped(value);
      const item = await ctx.payloads.pack(
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
        await ctx.doc.send(new PutCommand({ TableName: ctx.tableName, Item: item }));
        return;
      }
      try {
        await ctx.doc.send(
          new PutCommand({
            TableName: ctx.tableName,
            Item: item,
            ConditionExpression: 'attribute_not_exists(#pk) OR #exp <= :now',
            ExpressionAttributeNames: { '#pk': ATTR.pk, '#exp': ATTR.expiresAt },
            ExpressionAttributeValues: { ':now': ctx.nowSeconds() },
          }),
        );
      } catch (err) {
        // A regular write keeps the first value stored (a retried task writes it again).
        if (!isConditionalCheckFailed(err)) throw err;
      }
    }),
  );
}

/**
 * Which of `wanted` (channel → version) some unexpired checkpoint of the namespace holds a
 * value of, at that version. Only root puts that leave channels out of `newVersions` ask.
 */
async function channelsHeld(ctx: SaverContext, threadId: string, ns: string, wanted: ChannelVersions): Promise<Set<string>> {
  const held = new Set<string>();
  const channels = Object.keys(wanted);
  if (channels.length === 0) return held;
  for await (const item of queryItems(ctx.doc, {
    TableName: ctx.tableName,
    KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
    ProjectionExpression: 'stored_versions, #exp',
    ExpressionAttributeNames: { '#pk': ATTR.pk, '#sk': ATTR.sk, '#exp': ATTR.expiresAt },
    ExpressionAttributeValues: { ':pk': threadId, ':prefix': checkpointPrefix(ns) },
    ScanIndexForward: false,
    ConsistentRead: true,
  })) {
    const record = storedVersionsRecord.parse(item);
    if (!ctx.isLive(record)) continue;
    for (const channel of channels) {
      if (record.stored_versions?.[channel] === wanted[channel]) held.add(channel);
    }
    if (held.size === channels.length) break;
  }
  return held;
}
