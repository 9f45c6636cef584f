import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { PGliteDatabase } from '../../src/adapters/database/pglite.js';
import { migrate } from '../../src/adapters/database/migrate.js';
import { SqlChatStore } from '../../src/adapters/chat-store/sql/store.js';
import { cleanup } from '../../src/cli/commands/cleanup.js';
import { loadConfig } from '../../src/shared/config.js';

/** `collections cleanup` on the embedded database: counts sessions, purges the expired ones. */
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

it('purges expired chat sessions and reports the counts', async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'collections-cleanup-'));
  dirs.push(dataDir);
  const db = await PGliteDatabase.open(path.join(dataDir, 'pg'));
  await migrate(db);
  const hourAgo = new Date(Date.now() - 5 * 3600_000);
  const old = new SqlChatStore({ db, ttlMs: 4 * 3600_000, now: () => hourAgo });
  await old.recordTurn('u1', 'stale', { title: 'stale', messageCount: 2 });
  await new SqlChatStore({ db, ttlMs: 4 * 3600_000 }).recordTurn('u1', 'fresh', { title: 'fresh', messageCount: 2 });
  await db.close();

  const report = await cleanup(loadConfig({ COLLECTIONS_DATA_DIR: dataDir, LOG_LEVEL: 'warn' }));
  expect(report).toMatchObject({ store: 'sql', active_sessions: 1, expired_sessions: 1, purged_sessions: 1 });
  expect(await cleanup(loadConfig({ COLLECTIONS_DATA_DIR: dataDir, LOG_LEVEL: 'warn' }))).toMatchObject({
    active_sessions: 1,
    expired_sessions: 0,
    purged_sessions: 0,
  });
}, 60_000);
