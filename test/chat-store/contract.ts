import { emptyCheckpoint, type Checkpoint } from '@langchain/langgraph-checkpoint';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { threadId, type ChatStore } from '../../src/ports/chat-store.js';

/**
 * What every ChatStore must do, run against each backend (the SQL store on PGlite, the
 * DynamoDB store on DynamoDB Local). Time is a test clock the store reads through `now`, so
 * expiry is tested without waiting.
 */
export interface ContractClock {
  now: () => Date;
  advance(ms: number): void;
}

export function testClock(start = Date.parse('2026-12-01T10:00:00Z')): ContractClock {
  let t = start;
  return { now: () => new Date(t), advance: (ms) => void (t += ms) };
}

export interface ContractBackend {
  /** A store with its own empty storage, reading time from `clock`. */
  create(options: { ttlMs: number; clock: ContractClock }): Promise<ChatStore>;
  /** Called once after every store is closed. */
  teardown?(): Promise<void>;
}

const TTL = 4 * 3600_000;
let seq = 0;

function checkpoint(text: string): Checkpoint {
  const c = emptyCheckpoint();
  // Ids sort in time order, as LangGraph's uuid6 ids do.
  c.id = `1ef${String(++seq).padStart(5, '0')}-0000-6000-8000-000000000000`;
  c.channel_values = { messages: [text] };
  c.channel_versions = { messages: seq };
  return c;
}

const cfg = (user: string, session: string) => ({ configurable: { thread_id: threadId(user, session), checkpoint_ns: '' } });

async function putCheckpoint(store: ChatStore, user: string, session: string, text: string) {
  const c = checkpoint(text);
  const latest = await store.saver.getTuple(cfg(user, session));
  const config = latest ? latest.config : cfg(user, session);
  const saved = await store.saver.put(config, c, { source: 'loop', step: seq, parents: {} }, { messages: seq });
  await store.saver.putWrites(saved, [['messages', `pending ${text}`]], 'task-1');
  return saved;
}

export function describeChatStoreContract(name: string, backend: ContractBackend) {
  describe(`ChatStore contract: ${name}`, () => {
    let clock: ContractClock;
    let store: ChatStore;
    const open: ChatStore[] = [];

    beforeAll(() => {
      clock = testClock();
    });
    beforeEach(async () => {
      clock = testClock();
      store = await backend.create({ ttlMs: TTL, clock });
      open.push(store);
    });
    afterAll(async () => {
      for (const s of open) await s.close();
      await backend.teardown?.();
    });

    it('creates a session on its first turn and keeps its title and start afterwards', async () => {
      const first = await store.recordTurn('alice', 's1', { title: 'Ramen places in Fukuoka?', messageCount: 2 });
      expect(first).toMatchObject({ session_id: 's1', title: 'Ramen places in Fukuoka?', message_count: 2 });
      expect(first.created_at).toBe(clock.now().toISOString());
      expect(first.expires_at).toBe(new Date(clock.now().getTime() + TTL).toISOString());
      clock.advance(60_000);
      const second = await store.recordTurn('alice', 's1', { title: 'only the ones near the station', messageCount: 4 });
      expect(second).toMatchObject({ title: 'Ramen places in Fukuoka?', message_count: 4, created_at: first.created_at });
      expect(second.last_activity).toBe(clock.now().toISOString());
      expect(second.expires_at).toBe(new Date(clock.now().getTime() + TTL).toISOString());
      expect(await store.getSession('alice', 's1')).toEqual(second);
    });

    it('lists only the caller’s sessions, most recent activity first', async () => {
      await store.recordTurn('alice', 'a', { title: 'A', messageCount: 2 });
      clock.advance(1000);
      await store.recordTurn('alice', 'b', { title: 'B', messageCount: 2 });
      clock.advance(1000);
      await store.recordTurn('bob', 'a', { title: 'Bob A', messageCount: 2 });
      clock.advance(1000);
      await store.recordTurn('alice', 'a', { title: 'A again', messageCount: 4 });
      expect((await store.listSessions('alice')).map((s) => s.session_id)).toEqual(['a', 'b']);
      expect(await store.listSessions('bob')).toEqual([expect.objectContaining({ session_id: 'a', title: 'Bob A' })]);
      expect(await store.listSessions('carol')).toEqual([]);
      expect((await store.listSessions('alice', { limit: 1 })).map((s) => s.session_id)).toEqual(['a']);
    });

    it('keeps two users’ threads with the same session id apart', async () => {
      await putCheckpoint(store, 'alice', 'same', 'alice says hi');
      await putCheckpoint(store, 'bob', 'same', 'bob says hi');
      const a = await store.saver.getTuple(cfg('alice', 'same'));
      const b = await store.saver.getTuple(cfg('bob', 'same'));
      expect(a?.checkpoint.channel_values).toEqual({ messages: ['alice says hi'] });
      expect(b?.checkpoint.channel_values).toEqual({ messages: ['bob says hi'] });
      expect(await store.getSession('bob', 'other')).toBeNull();
    });

    it('hides an expired session and its checkpoints, and purges them', async () => {
      await putCheckpoint(store, 'alice', 'old', 'old question');
      await store.recordTurn('alice', 'old', { title: 'old', messageCount: 2 });
      clock.advance(TTL - 60_000);
      await putCheckpoint(store, 'alice', 'new', 'new question');
      await store.recordTurn('alice', 'new', { title: 'new', messageCount: 2 });
      clock.advance(120_000); // 'old' is now past its expiry, 'new' is not
      expect(await store.getSession('alice', 'old')).toBeNull();
      expect((await store.listSessions('alice')).map((s) => s.session_id)).toEqual(['new']);
      expect(await store.saver.getTuple(cfg('alice', 'old'))).toBeUndefined();
      expect(await store.saver.getTuple(cfg('alice', 'new'))).toBeDefined();

      const report = await store.purgeExpired();
      expect(report).toMatchObject({ active_sessions: 1, expired_sessions: 1, purged_sessions: 1 });
      expect(report.purged_records).toBeGreaterThanOrEqual(3); // session, checkpoint, write
      expect(await store.purgeExpired()).toMatchObject({ active_sessions: 1, expired_sessions: 0, purged_sessions: 0, purged_records: 0 });
      expect(await store.saver.getTuple(cfg('alice', 'new'))).toBeDefined();
    });

    it('starts a session afresh when its id is used again after it expired', async () => {
      await store.recordTurn('alice', 'again', { title: 'first life', messageCount: 6 });
      clock.advance(TTL + 1000);
      const reborn = await store.recordTurn('alice', 'again', { title: 'second life', messageCount: 2 });
      expect(reborn).toMatchObject({ title: 'second life', message_count: 2, created_at: clock.now().toISOString() });
    });

    it('extends a session’s life with each turn', async () => {
      await putCheckpoint(store, 'alice', 'live', 'q1');
      await store.recordTurn('alice', 'live', { title: 'q1', messageCount: 2 });
      clock.advance(TTL - 1000);
      await putCheckpoint(store, 'alice', 'live', 'q2');
      await store.recordTurn('alice', 'live', { title: 'q2', messageCount: 4 });
      clock.advance(TTL - 1000);
      expect(await store.getSession('alice', 'live')).toMatchObject({ message_count: 4 });
      expect((await store.saver.getTuple(cfg('alice', 'live')))?.checkpoint.channel_values).toEqual({ messages: ['q2'] });
    });

    it('deletes a session with every checkpoint and write, and only that user’s', async () => {
      await putCheckpoint(store, 'alice', 'gone', 'one');
      await putCheckpoint(store, 'alice', 'gone', 'two');
      await store.recordTurn('alice', 'gone', { title: 'one', messageCount: 4 });
      await putCheckpoint(store, 'bob', 'gone', 'bob');
      await store.recordTurn('bob', 'gone', { title: 'bob', messageCount: 2 });

      expect(await store.deleteSession('alice', 'gone')).toBe(true);
      expect(await store.getSession('alice', 'gone')).toBeNull();
      expect(await store.saver.getTuple(cfg('alice', 'gone'))).toBeUndefined();
      const left = [];
      for await (const t of store.saver.list(cfg('alice', 'gone'))) left.push(t);
      expect(left).toEqual([]);
      expect(await store.deleteSession('alice', 'gone')).toBe(false);
      expect(await store.getSession('bob', 'gone')).not.toBeNull();
      expect(await store.saver.getTuple(cfg('bob', 'gone'))).toBeDefined();
    });

    it('lets one turn at a time hold a session', async () => {
      const first = await store.acquireTurn('alice', 's', 60_000);
      expect(first).not.toBeNull();
      expect(await store.acquireTurn('alice', 's', 60_000)).toBeNull();
      expect(await store.acquireTurn('bob', 's', 60_000)).not.toBeNull();
      await first!.release();
      await first!.release();
      const again = await store.acquireTurn('alice', 's', 60_000);
      expect(again).not.toBeNull();
      clock.advance(61_000); // a turn whose process died lets go when its hold lapses
      expect(await store.acquireTurn('alice', 's', 60_000)).not.toBeNull();
    });

    it('stores a conversation far larger than one database record', async () => {
      const big = 'A long answer about ramen shops. '.repeat(40_000); // ~1.3 MB
      const saved = await putCheckpoint(store, 'alice', 'big', big);
      await store.recordTurn('alice', 'big', { title: 'big', messageCount: 2 });
      const got = await store.saver.getTuple(saved);
      expect((got!.checkpoint.channel_values as { messages: string[] }).messages[0]).toBe(big);
      expect(got?.pendingWrites?.[0]?.[2]).toBe(`pending ${big}`);
      expect(await store.deleteSession('alice', 'big')).toBe(true);
      expect(await store.saver.getTuple(saved)).toBeUndefined();
    });
  });
}
