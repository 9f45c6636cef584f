/** DynamoDbSaver's thread deletion: every record of a thread's partition, and its objects. */
import { deleteItems, queryItems, type Key } from './dynamo.js';
import { LOCK_SK, PART_PREFIX } from './keys.js';
import { blobKeysOf } from './payload.js';
import { PAYLOAD_ATTRIBUTES, keyRecord } from './records.js';
import type { SaverContext } from './saver-context.js';
import { ATTR } from '../../../contracts/chat-table.js';

/** What deleting a thread removed. */
export interface ThreadDeletion {
  /** Records deleted, of every kind. */
  records: number;
  /** Of those, session, checkpoint and write records that had not expired yet. */
  visible: number;
}

/**
 * Deletes every record of the thread's partition (checkpoints, writes, parts, and the chat
 * session and lock records that share it) and the objects its payloads were moved to.
 * Objects go first: if deleting records fails halfway, a retry still finds the records that
 * point at the remaining objects, so nothing is left behind unreferenced.
 */
export async function deleteThreadRecords(ctx: SaverContext, threadId: string): Promise<ThreadDeletion> {
  const names: Record<string, string> = { '#pk': ATTR.pk, '#sk': ATTR.sk, '#exp': ATTR.expiresAt, '#blob': 'blob' };
  const blobPaths = PAYLOAD_ATTRIBUTES.map((name, i) => {
    names[`#p${i}`] = name;
    return `#p${i}.#blob`;
  });
  const keys: Key[] = [];
  const blobKeys = new Set<string>();
  let visible = 0;
  for await (const item of queryItems(ctx.doc, {
    TableName: ctx.tableName,
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
    if (!internal && ctx.isLive(record)) visible++;
  }
  if (blobKeys.size > 0) {
    const { blobs } = ctx;
    if (!blobs) throw new Error(`Thread ${threadId} has payloads in an object store, but none is configured`);
    await Promise.all([...blobKeys].map((key) => blobs.delete(key)));
  }
  await deleteItems(ctx.doc, ctx.tableName, keys, ctx.retry);
  return { records: keys.length, visible };
}
