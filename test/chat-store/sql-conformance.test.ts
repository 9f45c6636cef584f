import * as vitest from 'vitest';
import type { CheckpointSaverTestInitializer } from '@langchain/langgraph-checkpoint-validation';
import { CHAT_TABLES, SqlSaver } from '../../src/adapters/chat-store/sql/index.js';
import type { PGliteDatabase } from '../../src/adapters/database/pglite.js';
import { openTestDatabase } from '../helpers/db.js';

// The validation suite calls describe/it/expect/beforeAll… as globals (vitest's `globals`
// option, which this project leaves off), so they are provided before it is loaded.
const { describe, it, expect, beforeAll, afterAll, beforeEach, afterEach } = vitest;
Object.assign(globalThis, { describe, it, expect, beforeAll, afterAll, beforeEach, afterEach });
const { validate, deltaChannelHistoryTests } = await import('@langchain/langgraph-checkpoint-validation');

let db: PGliteDatabase;
const emptyTables = () => db.query(`TRUNCATE ${CHAT_TABLES.join(', ')}`);

const initializer: CheckpointSaverTestInitializer<SqlSaver> = {
  checkpointerName: 'SqlSaver (PGlite)',
  beforeAllTimeout: 120_000,
  async beforeAll() {
    db = await openTestDatabase();
  },
  async afterAll() {
    await db?.close();
  },
  async createCheckpointer() {
    await emptyTables();
    return new SqlSaver({ db, ttlMs: 3600_000 });
  },
  async destroyCheckpointer() {
    await emptyTables();
  },
};

validate(initializer);
// Opt-in part of the suite (getDeltaChannelHistory is beta): our saver inherits the base walk,
// which depends on getTuple returning parents and writes in order, so it is checked here too.
deltaChannelHistoryTests(initializer);
