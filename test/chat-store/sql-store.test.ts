import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Annotation, END, START, StateGraph } from '@langchain/langgraph';
import { ERROR, emptyCheckpoint, type Checkpoint, type CheckpointTuple } from '@langchain/langgraph-checkpoint';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CHAT_TABLES, SqlChatStore } from '../../src/adapters/chat-store/sql/index.js';
import { listMigrations, migrate } from '../../src/adapters/database/migrate.js';
import { PGliteDatabase } from '../../src/adapters/database/pglite.js';
import { threadId } from '../../src/ports/chat-store.js';
import { openTestDatabase } from '../helpers/db.js';
import { testClock, type ContractClock } from './contract.js';

/** What the contract does not pin down: restarts, the migration, and the saver's finer rules. */

const TTL = 4 * 3600_000;
let seq = 0;

function checkpoint(values: Record<string, unknown>, versions: Record<string, number>): Checkpoint {
  const c = emptyCheckpoint();
  c.id = `1ef${String(++seq).padStart(5, '0')}-0000-6000-8000-000000000000`;
  c.channel_values = values;
  c.channel_versions = versions;
  return c;
}

const cfg = (user: string, session: string, checkpoint_id?: string) => ({
  configurable: { thread_id: threadId(user, session), checkpoint_ns: '', ...(checkpoint_id ? { checkpoint_id } : {}) },
});
const meta = { source: 'loop' as const, step: 0, parents: {} };

async function all(it: AsyncIterable<CheckpointTuple>) {
  const out: CheckpointTuple[] = [];
  for await (const t of it) out.push(t);
  return out;
}

describe('SqlChatStore on one database', () => {
  let db: PGliteDatabase;
  let clock: ContractClock;
  let store: SqlChatStore;

  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(async () => db?.close());
  beforeEach(async () => {
    await db.query(`TRUNCATE ${CHAT_TABLES.join(', ')}`);
    clock = testClock();
    store = new SqlChatStore({ db, ttlMs: TTL, now: clock.now });
  });

  it('never shows one user’s checkpoints to another who picked the same session id', async () => {
    const a = await store.saver.put(cfg('alice', 's'), checkpoint({ messages: ['alice'] }, { messages: 1 }), meta, { messages: 1 });
    await store.saver.putWrites(a, [['messages', 'alice pending']], 'task');
    const b = await store.saver.put(cfg('bob', 's'), checkpoint({ messages: ['bob'] }, { messages: 1 }), meta, { messages: 1 });

    // Alice's checkpoint id under Bob's thread finds nothing, and the same channel version is two values.
    expect(await store.saver.getTuple(cfg('bob', 's', a.configurable!.checkpoint_id))).toBeUndefined();
    expect((await store.saver.getTuple(cfg('bob', 's')))?.checkpoint.channel_values).toEqual({ messages: ['bob'] });
    expect((await store.saver.getTuple(cfg('bob', 's')))?.pendingWrites).toEqual([]);
    expect((await all(store.saver.list(cfg('bob', 's')))).map((t) => t.config.configurable?.checkpoint_id)).toEqual([
      b.configurable!.checkpoint_id,
    ]);

    const owners = await db.query<{ user_id: string; thread_id: string }>(
      'SELECT DISTINCT user_id, thread_id FROM chat_checkpoints ORDER BY user_id',
    );
    expect(owners.rows).toEqual([
      { user_id: 'alice', thread_id: 'alice#s' },
      { user_id: 'bob', thread_id: 'bob#s' },
    ]);

    await store.saver.deleteThread(threadId('alice', 's'));
    expect(await store.saver.getTuple(cfg('alice', 's'))).toBeUndefined();
    expect(await store.saver.getTuple(cfg('bob', 's'))).toBeDefined();
  });

  it('carries a real LangGraph conversation from turn to turn', async () => {
    const State = Annotation.Root({ messages: Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }) });
    const graph = new StateGraph(State)
      .addNode('answer', (s) => ({ messages: [`answer ${s.messages.length}`] }))
      .addEdge(START, 'answer')
      .addEdge('answer', END)
      .compile({ checkpointer: store.saver });
    const config = { configurable: { thread_id: threadId('alice', 'graph') } };
    await graph.invoke({ messages: ['hi'] }, config);
    const second = await graph.invoke({ messages: ['more'] }, config);
    expect(second.messages).toEqual(['hi', 'answer 1', 'more', 'answer 3']);
    expect((await graph.getState(config)).values).toEqual({ messages: ['hi', 'answer 1', 'more', 'answer 3'] });
    const history = [];
    for await (const snapshot of graph.getStateHistory(config)) history.push(snapshot);
    expect(history.length).toBeGreaterThanOrEqual(6); // input, loop and end checkpoints of each turn
  });

  it('replaces special writes but keeps a task’s first ordinary writes', async () => {
    const saved = await store.saver.put(cfg('alice', 'w'), checkpoint({}, {}), meta, {});
    await store.saver.putWrites(
      saved,
      [
        ['messages', 'first'],
        [ERROR, 'first error'],
      ],
      'task',
    );
    await store.saver.putWrites(
      saved,
      [
        ['messages', 'retry'],
        [ERROR, 'second error'],
      ],
      'task',
    );
    const writes = (await store.saver.getTuple(saved))?.pendingWrites;
    expect(writes).toHaveLength(2);
    expect(writes).toEqual(
      expect.arrayContaining([
        ['task', 'messages', 'first'],
        ['task', ERROR, 'second error'],
      ]),
    );
  });

  it('keeps a thread whole while it is active: channels an earlier step wrote do not expire first', async () => {
    const first = await store.saver.put(cfg('alice', 'long'), checkpoint({ a: 'from step 1', b: 1 }, { a: 1, b: 1 }), meta, { a: 1, b: 1 });
    clock.advance(TTL - 1000);
    // Step 2 changes b only; a's value is still the blob step 1 wrote.
    await store.saver.put(first, checkpoint({ a: 'from step 1', b: 2 }, { a: 1, b: 2 }), meta, { b: 2 });
    clock.advance(2000);
    const latest = await store.saver.getTuple(cfg('alice', 'long'));
    expect(latest?.checkpoint.channel_values).toEqual({ a: 'from step 1', b: 2 });
    expect(await all(store.saver.list(cfg('alice', 'long')))).toHaveLength(2);
  });

  it('keeps a session listed while its turns write checkpoints, and expires both together', async () => {
    await store.recordTurn('alice', 'kept', { title: 'kept', messageCount: 2 });
    clock.advance(TTL - 1000);
    const putAt = clock.now().getTime();
    await store.saver.put(cfg('alice', 'kept'), checkpoint({ m: 1 }, { m: 1 }), meta, { m: 1 });
    clock.advance(2000);
    const session = await store.getSession('alice', 'kept');
    expect(session?.expires_at).toBe(new Date(putAt + TTL).toISOString());
    clock.advance(TTL);
    expect(await store.getSession('alice', 'kept')).toBeNull();
    expect(await store.saver.getTuple(cfg('alice', 'kept'))).toBeUndefined();
  });

  it('starts an expired thread over instead of bringing its old checkpoints back', async () => {
    await store.saver.put(cfg('alice', 'again'), checkpoint({ messages: ['old'] }, { messages: 1 }), meta, { messages: 1 });
    clock.advance(TTL + 1000);
    // A new conversation under the same id reaches the same channel version with another value.
    const fresh = await store.saver.put(cfg('alice', 'again'), checkpoint({ messages: ['new'] }, { messages: 1 }), meta, { messages: 1 });
    const tuples = await all(store.saver.list(cfg('alice', 'again')));
    expect(tuples.map((t) => t.config.configurable?.checkpoint_id)).toEqual([fresh.configurable!.checkpoint_id]);
    expect(tuples[0]?.checkpoint.channel_values).toEqual({ messages: ['new'] });
    expect(await store.purgeExpired()).toMatchObject({ purged_sessions: 0, purged_records: 1 }); // the old checkpoint
  });

  it('deletes an expired session’s rows but reports it as not found', async () => {
    await store.saver.put(cfg('alice', 'old'), checkpoint({ m: 1 }, { m: 1 }), meta, { m: 1 });
    await store.recordTurn('alice', 'old', { title: 'old', messageCount: 2 });
    clock.advance(TTL);
    expect(await store.deleteSession('alice', 'old')).toBe(false);
    const left = await db.query<{ n: number }>(
      'SELECT ((SELECT count(*) FROM chat_sessions) + (SELECT count(*) FROM chat_checkpoints) + (SELECT count(*) FROM chat_blobs))::int AS n',
    );
    expect(left.rows[0]?.n).toBe(0);
  });

  it('holds a session across processes, releases only its own hold, and purges lapsed holds', async () => {
    const otherProcess = new SqlChatStore({ db, ttlMs: TTL, now: clock.now });
    const lapsed = await store.acquireTurn('alice', 's', 60_000);
    expect(await otherProcess.acquireTurn('alice', 's', 60_000)).toBeNull();
    clock.advance(61_000);
    const taken = await otherProcess.acquireTurn('alice', 's', 60_000);
    expect(taken).not.toBeNull();
    await lapsed!.release(); // too late: must not free the other process's hold
    expect(await store.acquireTurn('alice', 's', 60_000)).toBeNull();
    await taken!.release();
    expect(await store.getSession('alice', 's')).toBeNull(); // a hold is not a session
    expect(await store.listSessions('alice')).toEqual([]);

    await store.acquireTurn('alice', 'crashed', 60_000);
    clock.advance(61_000);
    expect(await store.purgeExpired()).toEqual({ active_sessions: 0, expired_sessions: 0, purged_sessions: 0, purged_records: 1 });
  });
});

describe('SqlChatStore on a data directory', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'collections-chat-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('keeps checkpoints, writes and sessions across a restart', async () => {
    const clock = testClock();
    const first = await PGliteDatabase.open(dir);
    await migrate(first);
    const before = new SqlChatStore({ db: first, ttlMs: TTL, now: clock.now });
    const saved = await before.saver.put(cfg('alice', 'kept'), checkpoint({ messages: ['hello'] }, { messages: 1 }), meta, { messages: 1 });
    await before.saver.putWrites(saved, [['messages', 'pending']], 'task');
    await before.recordTurn('alice', 'kept', { title: 'hello', messageCount: 1 });
    const written = await before.saver.getTuple(saved);
    await before.close();
    await first.close();

    const second = await PGliteDatabase.open(dir);
    try {
      expect(await migrate(second)).toEqual([]);
      const after = new SqlChatStore({ db: second, ttlMs: TTL, now: clock.now });
      expect(await after.saver.getTuple(cfg('alice', 'kept'))).toEqual(written);
      expect(await after.getSession('alice', 'kept')).toMatchObject({ title: 'hello', message_count: 1 });
    } finally {
      await second.close();
    }
  });
});

describe('migration 0005_chat', () => {
  let db: PGliteDatabase;
  beforeAll(async () => {
    db = await PGliteDatabase.open();
  });
  afterAll(async () => db?.close());

  it('adds the chat tables to a database migrated before it, once', async () => {
    // The database as the previous release left it: every migration before 0005 applied.
    await migrate(db);
    await db.query(`DROP TABLE ${CHAT_TABLES.join(', ')}`);
    await db.query("DELETE FROM schema_migrations WHERE version = '0005_chat'");
    await db.query(
      `INSERT INTO items (id, user_id, filename, original_filename, mime_type, file_size, sha256, original_key)
       VALUES ('33333333-3333-4333-8333-333333333333', 'u', 'f', 'f', 'image/png', 1, 'abc', 'k')`,
    );
    // Only 0005 is missing (later migrations stand on their own), so only it runs.
    expect((await listMigrations()).map((m) => m.version)).toContain('0005_chat');
    expect(await migrate(db)).toEqual(['0005_chat']);
    expect(await migrate(db)).toEqual([]);
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM items')).rows[0]?.n).toBe(1);
  });

  it('gives every chat table user_id and expires_at, and leads every index with user_id', async () => {
    for (const table of CHAT_TABLES) {
      const cols = await db.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns
         WHERE table_name = $1 AND column_name IN ('user_id', 'expires_at') ORDER BY column_name`,
        [table],
      );
      expect(
        cols.rows.map((c) => c.column_name),
        table,
      ).toEqual(['expires_at', 'user_id']);
    }
    const idx = await db.query<{ indexname: string; indexdef: string }>(
      'SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY($1)',
      [[...CHAT_TABLES]],
    );
    expect(idx.rows.length).toBeGreaterThanOrEqual(CHAT_TABLES.length + 1);
    for (const i of idx.rows) expect(i.indexdef, i.indexname).toMatch(/\(user_id[,)]/);
  });
});
