import { afterAll, beforeAll } from 'vitest';
import { CHAT_TABLES, SqlChatStore } from '../../src/adapters/chat-store/sql/index.js';
import type { PGliteDatabase } from '../../src/adapters/database/pglite.js';
import { openTestDatabase } from '../helpers/db.js';
import { describeChatStoreContract } from './contract.js';

// One PGlite for the file (it takes seconds to start); each store gets emptied chat tables.
let db: PGliteDatabase;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => db?.close());

describeChatStoreContract('sql', {
  async create({ ttlMs, clock }) {
    await db.query(`TRUNCATE ${CHAT_TABLES.join(', ')}`);
    return new SqlChatStore({ db, ttlMs, now: clock.now });
  },
});
