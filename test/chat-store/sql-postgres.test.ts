import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { afterAll, beforeAll } from 'vitest';
import { CHAT_TABLES, SqlChatStore } from '../../src/adapters/chat-store/sql/index.js';
import { migrate } from '../../src/adapters/database/migrate.js';
import { PostgresDatabase } from '../../src/adapters/database/postgres.js';
import { describeChatStoreContract } from './contract.js';

// The same store through node-postgres, as on RDS or any DATABASE_URL: PGlite's socket server
// speaks the real wire protocol, so parameter and result types go the way a server sends them.
// One connection (the socket server serves one at a time), which also proves no statement of a
// transaction runs outside it: that would wait for the connection the transaction holds.
let pg: PGlite;
let server: PGLiteSocketServer;
let db: PostgresDatabase;

beforeAll(async () => {
  pg = await PGlite.create({ extensions: { vector, btree_gin } });
  server = new PGLiteSocketServer({ db: pg, port: 0, host: '127.0.0.1' });
  await server.start();
  db = new PostgresDatabase(`postgres://postgres:postgres@${server.getServerConn()}/postgres?sslmode=disable`, 1);
  await migrate(db);
});
afterAll(async () => {
  await db?.close();
  await server?.stop();
  await pg?.close();
});

describeChatStoreContract('sql over node-postgres', {
  async create({ ttlMs, clock }) {
    await db.query(`TRUNCATE ${CHAT_TABLES.join(', ')}`);
    return new SqlChatStore({ db, ttlMs, now: clock.now });
  },
});
