/**
 * DynamoDbSaver's read path: finding checkpoint records (one by id, the newest, or a listing)
 * and decoding them into CheckpointTuples with their pending writes. Every read is strongly
 * consistent and hides records that have expired but not been deleted yet.
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { RunnableConfig } from '@langchain/core/runnables';
import {
  TASKS,
  compareWritesSortKeys,
  maxChannelVersion,
  writesSortKey,
  type Checkpoint,
  type CheckpointListOptions,
  type CheckpointMetadata,
  type CheckpointPendingWrite,
  type CheckpointTuple,
} from '@langchain/langgraph-checkpoint';
import { z } from 'zod';
import { queryItems, scanItems } from './dynamo.js';
import { CHECKPOINT_PREFIX, checkpointPrefix, checkpointSk, writesPrefix } from './keys.js';
import type { StoredPayload } from './payload.js';
import {
  asCheckpoint,
  asMetadata,
  checkpointRecord,
  configFor,
  matches,
  readTarget,
  writeRecord,
  type CheckpointRecord,
  type WriteRecord,
} from './records.js';
import type { SaverContext } from './saver-context.js';
import { ATTR } from '../../../contracts/chat-table.js';

/** BaseCheckpointSaver.getTuple: the checkpoint the config names, or its namespace's latest. */
export async function getCheckpointTuple(ctx: SaverContext, config: RunnableConfig): Promise<CheckpointTuple | undefined> {
  const { threadId, ns = '', checkpointId } = readTarget(config);
  if (threadId === undefined) return undefined;
  const record = checkpointId ? await readCheckpoint(ctx, threadId, ns, checkpointId) : await latestCheckpoint(ctx, threadId, ns);
  return record && toTuple(ctx, record);
}

/** BaseCheckpointSaver.list: checkpoints newest first, thread by thread. */
export async function* listCheckpointTuples(
  ctx: SaverContext,
  config: RunnableConfig,
  options: CheckpointListOptions = {},
): AsyncGenerator<CheckpointTuple> {
  const { before, filter } = options;
  let remaining = options.limit;
  if (remaining !== undefined && remaining <= 0) return;
  const { threadId, ns, checkpointId } = readTarget(config);
  const beforeId = before ? readTarget(before).checkpointId : undefined;
  const threads = threadId !== undefined ? [threadId] : await threadsWithCheckpoints(ctx);
  for (const thread of threads) {
    for await (const item of checkpointRecords(ctx, thread, ns, beforeId, remaining)) {
      const record = checkpointRecord.parse(item);
      if (!ctx.isLive(record)) continue;
      if (checkpointId !== undefined && record.checkpoint_id !== checkpointId) continue;
      if (beforeId !== undefined && !(record.checkpoint_id < beforeId)) continue;
      const metadata = asMetadata(await load(ctx, thread, record.metadata));
      if (filter && !matches(metadata, filter)) continue;
      yield await toTuple(ctx, record, metadata);
      if (remaining !== undefined && --remaining <= 0) return;
    }
  }
}

async function readCheckpoint(
  ctx: SaverContext,
  threadId: string,
  ns: string,
  checkpointId: string,
): Promise<CheckpointRecord | undefined> {
  const { Item } = await ctx.doc.send(
    new GetCommand({
      TableName: ctx.tableName,
      Key: { [ATTR.pk]: threadId, [ATTR.sk]: checkpointSk(ns, checkpointId) },
      ConsistentRead: true,
    }),
  );
  if (!Item) return undefined;
  const record = checkpointRecord.parse(Item);
  return ctx.isLive(record) ? record : undefined;
}

async function latestCheckpoint(ctx: SaverContext, threadId: string, ns: string): Promise<CheckpointRecord | undefined> {
  const { Items } = await ctx.doc.send(
    new QueryCommand({
      TableName: ctx.tableName,
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
  return ctx.isLive(record) ? record : undefined;
}

/** A thread's checkpoints, newest first (per namespace when `ns` is undefined). */
function checkpointRecords(ctx: SaverContext, threadId: string, ns: string | undefined, beforeId: string | undefined, pageSize?: number) {
  const prefix = checkpointPrefix(ns);
  // Within one namespace "before" is a key range; across namespaces it is filtered after.
  const range =
    ns !== undefined && beforeId !== undefined
      ? { condition: '#sk BETWEEN :low AND :high', values: { ':low': prefix, ':high': prefix + beforeId } }
      : { condition: 'begins_with(#sk, :low)', values: { ':low': prefix } };
  return queryItems(ctx.doc, {
    TableName: ctx.tableName,
    KeyConditionExpression: `#pk = :pk AND ${range.condition}`,
    ExpressionAttributeNames: { '#pk': ATTR.pk, '#sk': ATTR.sk },
    ExpressionAttributeValues: { ':pk': threadId, ...range.values },
    ScanIndexForward: false,
    ConsistentRead: true,
    Limit: pageSize,
  });
}

/** Listing without a thread id reads the whole table: meant for tools, not for turns. */
async function threadsWithCheckpoints(ctx: SaverContext): Promise<string[]> {
  const threads = new Set<string>();
  for await (const item of scanItems(ctx.doc, {
    TableName: ctx.tableName,
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

async function toTuple(ctx: SaverContext, record: CheckpointRecord, knownMetadata?: CheckpointMetadata): Promise<CheckpointTuple> {
  const threadId = record[ATTR.pk];
  const { checkpoint_ns: ns, checkpoint_id: checkpointId, parent_checkpoint_id: parentId } = record;
  const [checkpoint, metadata, pendingWrites] = await Promise.all([
    load(ctx, threadId, record.checkpoint).then(asCheckpoint),
    knownMetadata ?? load(ctx, threadId, record.metadata).then(asMetadata),
    readPendingWrites(ctx, threadId, ns, checkpointId),
  ]);
  if (checkpoint.v < 4 && parentId !== undefined) {
    await migratePendingSends(ctx, checkpoint, threadId, ns, parentId);
  }
  return {
    config: configFor(threadId, ns, checkpointId),
    checkpoint,
    metadata,
    pendingWrites,
    ...(parentId !== undefined && { parentConfig: configFor(threadId, ns, parentId) }),
  };
}

async function load(ctx: SaverContext, threadId: string, payload: StoredPayload): Promise<unknown> {
  const [type, data] = await ctx.payloads.unpack(threadId, payload);
  const value: unknown = await ctx.serde.loadsTyped(type, data);
  return value;
}

/** A checkpoint's unexpired writes in `writesSortKey` order (task path, task id, idx). */
async function orderedWrites(ctx: SaverContext, threadId: string, ns: string, checkpointId: string): Promise<WriteRecord[]> {
  const records: WriteRecord[] = [];
  for await (const item of queryItems(ctx.doc, {
    TableName: ctx.tableName,
    KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
    ExpressionAttributeNames: { '#pk': ATTR.pk, '#sk': ATTR.sk },
    ExpressionAttributeValues: { ':pk': threadId, ':prefix': writesPrefix(ns, checkpointId) },
    ConsistentRead: true,
  })) {
    const record = writeRecord.parse(item);
    if (ctx.isLive(record)) records.push(record);
  }
  const sortKey = (w: WriteRecord) => writesSortKey(w.task_path, w.task_id, w.idx);
  return records.sort((a, b) => compareWritesSortKeys(sortKey(a), sortKey(b)));
}

async function readPendingWrites(ctx: SaverContext, threadId: string, ns: string, checkpointId: string): Promise<CheckpointPendingWrite[]> {
  const writes = await orderedWrites(ctx, threadId, ns, checkpointId);
  return Promise.all(writes.map(async (w): Promise<CheckpointPendingWrite> => [w.task_id, w.channel, await load(ctx, threadId, w.value)]));
}

/**
 * Checkpoints before format v4 kept pending sends as writes to TASKS on their parent; they
 * become the TASKS channel value, exactly as MemorySaver migrates them.
 */
async function migratePendingSends(
  ctx: SaverContext,
  checkpoint: Checkpoint,
  threadId: string,
  ns: string,
  parentId: string,
): Promise<void> {
  const parentWrites = await orderedWrites(ctx, threadId, ns, parentId);
  const sends = await Promise.all(parentWrites.filter((w) => w.channel === TASKS).map((w) => load(ctx, threadId, w.value)));
  checkpoint.channel_values ??= {};
  checkpoint.channel_values[TASKS] = sends;
  checkpoint.channel_versions ??= {};
  const versions = Object.values(checkpoint.channel_versions);
  checkpoint.channel_versions[TASKS] = versions.length > 0 ? maxChannelVersion(...versions) : ctx.nextVersion(undefined);
}
