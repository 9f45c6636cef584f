/**
 * The few DynamoDB access patterns the chat store needs, done properly once: queries and scans
 * that follow LastEvaluatedKey, and batch writes/reads that retry what DynamoDB left
 * unprocessed (it does so under throttling, and for reads above 16 MB) with capped,
 * jittered exponential backoff, as AWS recommends.
 */
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  QueryCommand,
  ScanCommand,
  type NativeAttributeValue,
  type QueryCommandInput,
  type ScanCommandInput,
} from '@aws-sdk/lib-dynamodb';

export type Item = Record<string, NativeAttributeValue>;
export type Key = Record<string, string>;

/**
 * A document client for a plain client. lib-dynamodb stores its translation options on the
 * shared client config, so every document client made from one DynamoDBClient uses these.
 */
export function documentClient(client: DynamoDBClient | DynamoDBDocumentClient): DynamoDBDocumentClient {
  if (client instanceof DynamoDBDocumentClient) return client;
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

export function isConditionalCheckFailed(err: unknown): boolean {
  return err instanceof ConditionalCheckFailedException || (err instanceof Error && err.name === 'ConditionalCheckFailedException');
}

export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 10, baseDelayMs: 50, maxDelayMs: 2_000 };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** "Full jitter" backoff: a random wait up to base·2^attempt, capped. */
function backoff(policy: RetryPolicy, attempt: number): Promise<void> {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return sleep(Math.random() * ceiling);
}

function chunks<T>(values: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

/** Every item a query matches, page after page, read lazily. */
export async function* queryItems(doc: DynamoDBDocumentClient, input: QueryCommandInput): AsyncGenerator<Item> {
  let startKey: Item | undefined;
  do {
    const page = await doc.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    yield* page.Items ?? [];
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

export async function* scanItems(doc: DynamoDBDocumentClient, input: ScanCommandInput): AsyncGenerator<Item> {
  let startKey: Item | undefined;
  do {
    const page = await doc.send(new ScanCommand({ ...input, ExclusiveStartKey: startKey }));
    yield* page.Items ?? [];
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

type WriteRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: Key } };

/**
 * Writes or deletes items 25 at a time (BatchWriteItem's limit), resubmitting unprocessed
 * ones. Batch writes are unconditional: only for records whose content is fixed by their key
 * (content-addressed parts) and for deletes.
 */
export async function batchWrite(
  doc: DynamoDBDocumentClient,
  tableName: string,
  requests: readonly WriteRequest[],
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<void> {
  for (const chunk of chunks(requests, 25)) {
    let pending: WriteRequest[] = chunk;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= policy.attempts) {
        throw new Error(`BatchWriteItem left ${pending.length} item(s) unprocessed after ${policy.attempts} tries`);
      }
      if (attempt > 0) await backoff(policy, attempt - 1);
      const result = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = (result.UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
    }
  }
}

export function deleteItems(doc: DynamoDBDocumentClient, tableName: string, keys: readonly Key[], policy?: RetryPolicy) {
  return batchWrite(
    doc,
    tableName,
    keys.map((Key) => ({ DeleteRequest: { Key } })),
    policy,
  );
}

export function putItems(doc: DynamoDBDocumentClient, tableName: string, items: readonly Item[], policy?: RetryPolicy) {
  return batchWrite(
    doc,
    tableName,
    items.map((Item) => ({ PutRequest: { Item } })),
    policy,
  );
}

/**
 * Reads items by key, `perRequest` keys at a time (at most 100; fewer for large items, since a
 * response stops at 16 MB and leaves the rest unprocessed). Strongly consistent. Missing keys
 * are simply absent from the result, which is in no particular order.
 */
export async function batchGet(
  doc: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Key[],
  options: { perRequest?: number; policy?: RetryPolicy } = {},
): Promise<Item[]> {
  const policy = options.policy ?? DEFAULT_RETRY;
  const found: Item[] = [];
  for (const chunk of chunks(keys, Math.min(options.perRequest ?? 100, 100))) {
    let pending: Key[] = chunk;
    let fruitless = 0;
    while (pending.length > 0) {
      if (fruitless >= policy.attempts) {
        throw new Error(`BatchGetItem left ${pending.length} key(s) unprocessed after ${policy.attempts} tries`);
      }
      if (fruitless > 0) await backoff(policy, fruitless - 1);
      const result = await doc.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }));
      const got = result.Responses?.[tableName] ?? [];
      found.push(...got);
      pending = (result.UnprocessedKeys?.[tableName]?.Keys ?? []) as Key[];
      // Progress (a response cut at 16 MB) is retried at once; throttling backs off.
      fruitless = got.length > 0 ? 0 : fruitless + 1;
    }
  }
  return found;
}
