import { threadId, type ChatSession, type ChatStore, type PurgeReport, type TurnLock, type TurnRecord } from '../../../ports/chat-store.js';
import type { Database } from '../../../ports/database.js';
import { Expiry } from './expiry.js';
import { purgeExpiredRows } from './purge.js';
import { SqlSaver } from './saver.js';
import { deleteSessionRow, selectSession, selectSessions, upsertSession } from './sessions.js';
import { deleteThreadRows, touchThread } from './thread-rows.js';
import { acquireTurnLock } from './turn-lock.js';

export interface SqlChatStoreOptions {
  /** The app's database; the store uses it but does not own it (close() leaves it open). */
  db: Database;
  ttlMs: number;
  /** The clock for every expiry (tests pass a fake one); the saver shares it. */
  now?: () => Date;
}

/**
 * The laptop home's ChatStore: chat tables in the app's own database (migration 0005), on
 * PGlite or any Postgres, so conversations survive restarts like everything else.
 */
export class SqlChatStore implements ChatStore {
  readonly kind = 'sql' as const;
  readonly ttlMs: number;
  readonly saver: SqlSaver;
  private readonly db: Database;
  private readonly expiry: Expiry;

  constructor(options: SqlChatStoreOptions) {
    this.db = options.db;
    this.ttlMs = options.ttlMs;
    this.expiry = new Expiry(options.ttlMs, options.now);
    this.saver = new SqlSaver({ db: options.db, ttlMs: options.ttlMs, now: options.now });
  }

  acquireTurn(userId: string, sessionId: string, holdMs: number): Promise<TurnLock | null> {
    return acquireTurnLock(this.db, this.expiry, userId, sessionId, holdMs);
  }

  /** Refreshes the thread's checkpoints with the session, so they expire at the same instant. */
  recordTurn(userId: string, sessionId: string, turn: TurnRecord): Promise<ChatSession> {
    const t = this.expiry.stamp();
    return this.db.transaction(async (tx) => {
      await touchThread(tx, threadId(userId, sessionId), t);
      return upsertSession(tx, userId, sessionId, turn, t);
    });
  }

  getSession(userId: string, sessionId: string): Promise<ChatSession | null> {
    return selectSession(this.db, userId, sessionId, this.expiry.stamp().now);
  }

  listSessions(userId: string, options: { limit?: number } = {}): Promise<ChatSession[]> {
    return selectSessions(this.db, userId, this.expiry.stamp().now, options.limit);
  }

  /** True when the caller could see something of the session (an expired one counts as gone). */
  deleteSession(userId: string, sessionId: string): Promise<boolean> {
    const { now } = this.expiry.stamp();
    return this.db.transaction(async (tx) => {
      const session = await deleteSessionRow(tx, userId, sessionId, now);
      const thread = await deleteThreadRows(tx, threadId(userId, sessionId), now);
      return session.live || thread.live > 0;
    });
  }

  purgeExpired(): Promise<PurgeReport> {
    return purgeExpiredRows(this.db, this.expiry.stamp().now);
  }

  async close(): Promise<void> {
    // The database belongs to the app, which closes it after every user of it.
  }
}
