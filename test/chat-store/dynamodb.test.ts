import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import { Annotation, END, START, StateGraph } from '@langchain/langgraph';
import { emptyCheckpoint, ERROR, type Checkpoint } from '@langchain/langgraph-checkpoint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointConflictError } from '../../src/adapters/chat-store/dynamodb/saver.js';
import { DynamoDbChatStore } from '../../src/adapters/chat-store/dynamodb/store.js';
import { documentClient, queryItems } from '../../src/adapters/chat-store/dynamodb/dynamo.js';
import { CHAT_TABLE } from '../../src/contracts/chat-table.js';
import { DYNAMODB_ITEM_LIMIT_BYTES, itemSize } from '../../src/adapters/chat-store/dynamodb/item-size.js';
import { FilesystemObjectStore } from '../../src/adapters/object-store/filesystem.js';
import { threadId } from '../../src/ports/chat-store.js';
import { startDynamoDbLocal, type DynamoDbLocal } from '../helpers/dynamodb-local.js';
import { describeChatStoreContract, testClock } from './contract.js';

type Item = Record<string, NativeAttributeValue>;

let local: DynamoDbLocal;
let largestItem = 0;

/** Records the size of every item written through `client` (PutItem and BatchWriteItem). */
function measureItems(client: DynamoDBClient) {
  client.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { Item?: Item; RequestItems?: Record<string, { PutRequest?: { Item: Item } }[]> };
      const items = [
        ...(input.Item ? [input.Item] : []),
        ...Object.values(input.RequestItems ?? {}).flatMap((requests) =>
          Array.isArray(requests) ? requests.flatMap((r) => (r.PutRequest ? [r.PutRequest.Item] : [])) : [],
        ),
      ];
      for (const item of items) largestItem = Math.max(largestItem, itemSize(item));
      return next(args);
    },
    { step: 'initialize', name: 'measureItems' },
  );
}

beforeAll(async () => {
  local = await startDynamoDbLocal();
  measureItems(local.client);
}, 60_000);

afterAll(async () => {
  await local?.stop();
  if (largestItem > 0) console.info(`largest DynamoDB item written by these tests: ${largestItem} bytes`);
});

// Contract tables have no TTL: their records expire in test-clock time, which real time may
// already have passed, and DynamoDB Local would delete them mid-test.
describeChatStoreContract('dynamodb', {
  async create({ ttlMs, clock }) {
    const tableName = await local.createTable();
    return new DynamoDbChatStore({ client: local.client, tableName, ttlMs, now: clock.now });
  },
});

const TTL = 4 * 3600_000;
const meta = { source: 'loop' as const, step: 1, parents: {} };
let seq = 0;

function checkpointOf(messages: unknown[]): Checkpoint {
  const c = emptyCheckpoint();
  c.id = `1ef${String(++seq).padStart(5, '0')}-0000-6000-8000-000000000000`;
  c.channel_values = { messages };
  c.channel_versions = { messages: seq };
  return c;
}

const cfg = (user: string, session: string, ns = '') => ({
  configurable: { thread_id: threadId(user, session), checkpoint_ns: ns },
});

/** ~1.3 MB of text gzip cannot shrink below the record budget (it stays about 1 MB). */
const incompressible = () => randomBytes(1_000_000).toString('base64');

/** Every record of a thread, read straight from the table (expired ones included). */
async function threadRecords(tableName: string, thread: string): Promise<Item[]> {
  const records: Item[] = [];
  for await (const item of queryItems(documentClient(local.client), {
    TableName: tableName,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': thread },
    ConsistentRead: true,
  })) {
    records.push(item);
  }
  return records;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

describe('DynamoDbChatStore on DynamoDB Local', () => {
  let blobDir: string;

  beforeAll(async () => {
    blobDir = await mkdtemp(path.join(tmpdir(), 'collections-chat-blobs-'));
  });
  afterAll(async () => {
    await rm(blobDir, { recursive: true, force: true });
  });

  /** A store on a fresh table and test clock; with `blobs`, an object store in its own directory. */
  async function newStore(options: { blobs?: boolean; client?: DynamoDBClient } = {}) {
    const clock = testClock();
    const tableName = await local.createTable();
    const objects = options.blobs ? await mkdtemp(path.join(blobDir, 'objects-')) : undefined;
    // The tags each object was put with (the filesystem store has no use for them; S3 does).
    const tags = new Map<string, unknown>();
    const blobs = objects ? new FilesystemObjectStore(objects) : undefined;
    const store = new DynamoDbChatStore({
      client: options.client ?? local.client,
      tableName,
      ttlMs: TTL,
      now: clock.now,
      blobs:
        blobs &&
        Object.assign(Object.create(blobs) as typeof blobs, {
          put: (key: string, body: Uint8Array, type: string, o?: { tags?: Readonly<Record<string, string>> }) => {
            tags.set(key, o?.tags);
            return blobs.put(key, body, type, o);
          },
        }),
    });
    return { store, clock, tableName, objects: objects ?? '', tags };
  }

  it('splits a 1.3 MB checkpoint and write across records when there is no object store', async () => {
    const { store, tableName } = await newStore();
    const big = incompressible();
    const saved = await store.saver.put(cfg('alice', 'big'), checkpointOf([big]), meta, { messages: 1 });
    await store.saver.putWrites(saved, [['messages', `pending ${big}`]], 'task-1');

    const records = await threadRecords(tableName, threadId('alice', 'big'));
    const parts = records.filter((r) => String(r.sk).startsWith('part#'));
    expect(parts.length).toBeGreaterThanOrEqual(6); // ~1 MB gzipped, twice, in ≤ 350 KB slices
    for (const record of records) expect(itemSize(record)).toBeLessThan(DYNAMODB_ITEM_LIMIT_BYTES);

    const got = await store.saver.getTuple(cfg('alice', 'big'));
    expect(got?.checkpoint.channel_values).toEqual({ messages: [big] });
    expect(got?.pendingWrites).toEqual([['task-1', 'messages', `pending ${big}`]]);

    await store.recordTurn('alice', 'big', { title: 'big', messageCount: 2 });
    expect(await store.deleteSession('alice', 'big')).toBe(true);
    expect(await threadRecords(tableName, threadId('alice', 'big'))).toEqual([]);
  });

  it('moves a 1.3 MB checkpoint to the object store under the user’s prefix, and deletes it with the session', async () => {
    const { store, tableName, objects, tags } = await newStore({ blobs: true });
    const big = incompressible();
    const saved = await store.saver.put(cfg('alice', 'blob/../x'), checkpointOf([big]), meta, { messages: 1 });
    await store.saver.putWrites(saved, [['messages', `pending ${big}`]], 'task-1');

    const files = await filesUnder(objects);
    expect(files).toHaveLength(2);
    for (const file of files) expect(file).toMatch(/^alice\/chat\/blob%2F%2E%2E%2Fx\/[0-9a-f]{64}\.bin$/);
    // Tagged for the bucket's lifecycle rule, which removes payloads orphaned by DynamoDB's TTL.
    expect([...tags.values()]).toEqual([{ kind: 'chat-payload' }, { kind: 'chat-payload' }]);
    const records = await threadRecords(tableName, threadId('alice', 'blob/../x'));
    expect(records.filter((r) => String(r.sk).startsWith('part#'))).toEqual([]);

    const got = await store.saver.getTuple(saved);
    expect(got?.checkpoint.channel_values).toEqual({ messages: [big] });
    expect(got?.pendingWrites?.[0]?.[2]).toBe(`pending ${big}`);

    expect(await store.deleteSession('alice', 'blob/../x')).toBe(true);
    expect(await filesUnder(objects)).toEqual([]);
  });

  it('purges an expired session’s objects with its records', async () => {
    const { store, clock, objects } = await newStore({ blobs: true });
    await store.saver.put(cfg('bob', 'old'), checkpointOf([incompressible()]), meta, { messages: 1 });
    await store.recordTurn('bob', 'old', { title: 'old', messageCount: 2 });
    expect(await filesUnder(objects)).toHaveLength(1);
    clock.advance(TTL + 1000);
    expect(await store.purgeExpired()).toMatchObject({ expired_sessions: 1, purged_sessions: 1 });
    expect(await filesUnder(objects)).toEqual([]);
  });

  it('accepts a retried put of the same checkpoint and refuses a different one under its id', async () => {
    const { store } = await newStore();
    const checkpoint = checkpointOf(['the answer']);
    const first = await store.saver.put(cfg('alice', 'retry'), checkpoint, meta, { messages: 1 });
    // A Lambda retried after its put reached DynamoDB puts the very same checkpoint again.
    await expect(store.saver.put(cfg('alice', 'retry'), checkpoint, meta, { messages: 1 })).resolves.toEqual(first);

    const impostor = { ...checkpoint, channel_values: { messages: ['another answer'] } };
    await expect(store.saver.put(cfg('alice', 'retry'), impostor, meta, { messages: 1 })).rejects.toBeInstanceOf(CheckpointConflictError);
    expect((await store.saver.getTuple(first))?.checkpoint.channel_values).toEqual({ messages: ['the answer'] });
  });

  it('keeps the first regular write of a task and lets special writes overwrite', async () => {
    const { store } = await newStore();
    const saved = await store.saver.put(cfg('alice', 'writes'), checkpointOf([]), meta, { messages: 1 });
    await store.saver.putWrites(
      saved,
      [
        ['messages', 'first'],
        [ERROR, 'boom 1'],
      ],
      'task-1',
    );
    await store.saver.putWrites(
      saved,
      [
        ['messages', 'second'],
        [ERROR, 'boom 2'],
      ],
      'task-1',
    );
    const got = await store.saver.getTuple(saved);
    expect(got?.pendingWrites).toEqual([
      ['task-1', ERROR, 'boom 2'],
      ['task-1', 'messages', 'first'],
    ]);
  });

  it('keeps namespaces apart, even when one name starts with another followed by #', async () => {
    const { store } = await newStore();
    await store.saver.put(cfg('alice', 'ns', 'a'), checkpointOf(['in a']), meta, { messages: 1 });
    await store.saver.put(cfg('alice', 'ns', 'a#b'), checkpointOf(['in a#b']), meta, { messages: 1 });
    const latestInA = await store.saver.getTuple(cfg('alice', 'ns', 'a'));
    expect(latestInA?.checkpoint.channel_values).toEqual({ messages: ['in a'] });
    const inA = [];
    for await (const t of store.saver.list(cfg('alice', 'ns', 'a'))) inA.push(t.checkpoint.channel_values);
    expect(inA).toEqual([{ messages: ['in a'] }]);
    const namespaces = [];
    for await (const t of store.saver.list({ configurable: { thread_id: threadId('alice', 'ns') } })) {
      namespaces.push(t.config.configurable?.checkpoint_ns);
    }
    expect(namespaces.sort()).toEqual(['a', 'a#b']);
  });

  it('does not let a turn whose hold lapsed release the turn that took over', async () => {
    const { store, clock } = await newStore();
    const stale = await store.acquireTurn('alice', 's', 60_000);
    clock.advance(61_000);
    const current = await store.acquireTurn('alice', 's', 60_000);
    expect(current).not.toBeNull();
    await stale!.release();
    expect(await store.acquireTurn('alice', 's', 60_000)).toBeNull();
    await current!.release();
    expect(await store.acquireTurn('alice', 's', 60_000)).not.toBeNull();
  });

  it('retries the items and keys a batch request leaves unprocessed', async () => {
    const client = local.newClient();
    const injected = { writes: 0, reads: 0 };
    // DynamoDB answers a throttled batch with UnprocessedItems / UnprocessedKeys: here the
    // first two BatchWriteItem calls and the first BatchGetItem process only half their batch.
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { RequestItems?: Record<string, unknown> };
        const [table, requests] = Object.entries(input.RequestItems ?? {})[0] ?? [];
        const isBatchWrite = context.commandName === 'BatchWriteItemCommand';
        if (isBatchWrite && injected.writes < 2 && table && Array.isArray(requests) && requests.length > 1) {
          injected.writes++;
          const keep = requests.slice(0, Math.ceil(requests.length / 2));
          const result = await next({ ...args, input: { ...input, RequestItems: { [table]: keep } } });
          Object.assign(result.output as object, { UnprocessedItems: { [table]: requests.slice(keep.length) } });
          return result;
        }
        const keys = (requests as { Keys?: unknown[] } | undefined)?.Keys;
        if (context.commandName === 'BatchGetItemCommand' && injected.reads < 1 && table && keys && keys.length > 1) {
          injected.reads++;
          const keep = keys.slice(0, Math.ceil(keys.length / 2));
          const request = { ...(requests as object), Keys: keep };
          const result = await next({ ...args, input: { ...input, RequestItems: { [table]: request } } });
          Object.assign(result.output as object, {
            UnprocessedKeys: { [table]: { ...(requests as object), Keys: keys.slice(keep.length) } },
          });
          return result;
        }
        return next(args);
      },
      { step: 'initialize', name: 'injectUnprocessed' },
    );
    measureItems(client);
    const { store, tableName } = await newStore({ client });
    const big = incompressible();
    const saved = await store.saver.put(cfg('alice', 'throttled'), checkpointOf([big]), meta, { messages: 1 });
    expect(injected.writes).toBe(1);
    expect((await store.saver.getTuple(saved))?.checkpoint.channel_values).toEqual({ messages: [big] });
    expect(injected.reads).toBe(1);
    await store.recordTurn('alice', 'throttled', { title: 'throttled', messageCount: 2 });
    expect(await store.deleteSession('alice', 'throttled')).toBe(true);
    expect(injected.writes).toBe(2);
    expect(await threadRecords(tableName, threadId('alice', 'throttled'))).toEqual([]);
  });

  it('runs a real LangGraph graph: turns accumulate, history lists, a copy of the first checkpoint resumes', async () => {
    const { store } = await newStore();
    const State = Annotation.Root({
      messages: Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
    });
    const graph = new StateGraph(State)
      .addNode('echo', (state) => ({ messages: [`echo ${state.messages.at(-1)}`] }))
      .addEdge(START, 'echo')
      .addEdge('echo', END)
      .compile({ checkpointer: store.saver });
    const config = { configurable: { thread_id: threadId('alice', 'graph') } };
    await graph.invoke({ messages: ['hi'] }, config);
    await graph.invoke({ messages: ['again'] }, config);
    expect((await graph.getState(config)).values).toEqual({ messages: ['hi', 'echo hi', 'again', 'echo again'] });

    const history = [];
    for await (const snapshot of graph.getStateHistory(config)) history.push(snapshot);
    expect(history.map((h) => h.metadata?.source)).toEqual(['loop', 'loop', 'input', 'loop', 'loop', 'input']);

    // The first checkpoint has no parent; its copy is a root put that writes no channel.
    const first = history.at(-1)!;
    const copy = await graph.updateState(first.config, undefined, '__copy__');
    const copied = await graph.getState(copy);
    expect(copied.next).toEqual(first.next);
    expect(copied.values).toEqual(first.values);
    expect(await graph.invoke(null, copy)).toEqual({ messages: ['hi', 'echo hi'] });
  });

  it('is cleaned up by DynamoDB’s own TTL deletion once expires_at has passed', async () => {
    // DynamoDB Local 3.3.0 never TTL-deletes in a table that has a global secondary index (the
    // same records in the same key schema without the index go within a second), so this
    // table is the chat table less its index: what is checked is that the records' expires_at
    // is what DynamoDB's TTL acts on. Nothing here needs the index.
    const tableName = await local.createTable({ ttl: true, table: { ...CHAT_TABLE, globalSecondaryIndexes: [] } });
    // A store whose clock runs just under its 30-minute TTL behind: what it writes expires four
    // seconds from now in real time, which is the time DynamoDB's TTL goes by. (Writing records
    // already expired raced the TTL sweep: they could be gone before the test saw them.)
    const behind = new DynamoDbChatStore({
      client: local.client,
      tableName,
      ttlMs: 1800_000,
      now: () => new Date(Date.now() - 1800_000 + 4_000),
    });
    const current = new DynamoDbChatStore({ client: local.client, tableName, ttlMs: 3600_000 });
    for (const [store, session] of [
      [behind, 'expired'],
      [current, 'kept'],
    ] as const) {
      const saved = await store.saver.put(cfg('alice', session), checkpointOf([session]), meta, { messages: 1 });
      await store.saver.putWrites(saved, [['messages', session]], 'task-1');
      await store.recordTurn('alice', session, { title: session, messageCount: 2 });
    }
    const records = (session: string) => threadRecords(tableName, threadId('alice', session));
    expect(await records('expired')).toHaveLength(3);

    const started = Date.now();
    while ((await records('expired')).length > 0 && Date.now() - started < 20_000) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(await records('expired')).toEqual([]);
    expect(await records('kept')).toHaveLength(3);
  }, 30_000);
});
