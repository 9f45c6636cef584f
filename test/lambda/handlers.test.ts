import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { APP_DATABASE_USER, LAMBDA_FUNCTIONS } from '../../src/contracts/aws.js';
import { listMigrations } from '../../src/adapters/database/migrate.js';
import { DynamoDbChatStore } from '../../src/adapters/chat-store/dynamodb/store.js';
import { startDynamoDbLocal, type DynamoDbLocal } from '../helpers/dynamodb-local.js';
import { ABANDONED_UPLOAD_ERROR, pendingSha256 } from '../../src/domain/pending-upload.js';
import { customResourceEvent, lambdaContext, scheduledEvent } from '../aws/helpers/events.js';

/** The migrate custom resource and the scheduled cleanup, each with its real event. */

afterEach(() => vi.unstubAllEnvs());

describe('every function in the contract', () => {
  it('has its entry file exporting `handler`', async () => {
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    for (const [name, { entry }] of Object.entries(LAMBDA_FUNCTIONS)) {
      const module = await import(/* @vite-ignore */ pathToFileURL(path.resolve(entry)).href);
      expect(typeof module.handler, name).toBe('function');
    }
  });
});

describe('migrate (CloudFormation custom resource onEvent)', () => {
  let pglite: PGlite;
  let socket: PGLiteSocketServer;
  let url: string;

  beforeAll(async () => {
    pglite = await PGlite.create({ extensions: { vector, btree_gin } });
    socket = new PGLiteSocketServer({ db: pglite, port: 0, host: '127.0.0.1', maxConnections: 4 });
    await socket.start();
    url = `postgres://postgres:postgres@127.0.0.1:${socket.getServerConn().split(':').pop()}/postgres`;
  });
  afterAll(async () => {
    await socket?.stop();
    await pglite?.close();
  });

  const run = async (event: ReturnType<typeof customResourceEvent>) => {
    const { handler } = await import('../../src/lambda/handlers/migrate.js');
    return handler(event, lambdaContext('collections-test-migrate'));
  };

  it('Create enables pgvector and applies every migration; Update applies none; Delete keeps the data', async () => {
    vi.stubEnv('DATABASE_URL', url);
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    const all = (await listMigrations()).map((m) => m.version);

    const created = await run(customResourceEvent('Create'));
    expect(created).toEqual({ PhysicalResourceId: 'collections-schema', Data: { Applied: all.join(','), Latest: all.at(-1) } });
    const ext = await pglite.query<{ extname: string }>(`SELECT extname FROM pg_extension WHERE extname = 'vector'`);
    expect(ext.rows).toHaveLength(1);

    const updated = await run(customResourceEvent('Update', created.PhysicalResourceId));
    expect(updated).toEqual({ PhysicalResourceId: 'collections-schema', Data: { Applied: '', Latest: all.at(-1) } });

    await pglite.query(
      `INSERT INTO items (id, user_id, filename, original_filename, mime_type, file_size, sha256, original_key)
       VALUES ('11111111-1111-4111-8111-111111111111', 'u', 'f', 'f', 'image/png', 1, 'abc', 'u/originals/f.png')`,
    );
    expect(await run(customResourceEvent('Delete', created.PhysicalResourceId))).toEqual({ PhysicalResourceId: 'collections-schema' });
    expect((await pglite.query('SELECT id FROM items')).rows).toHaveLength(1);
  });

  it('creates the app database user (IAM auth) with read/write grants, again on every run without error', async () => {
    vi.stubEnv('DATABASE_URL', url);
    vi.stubEnv('DATABASE_USER', APP_DATABASE_USER);
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    // RDS has the rds_iam role on every PostgreSQL instance; PGlite does not, so the test makes it.
    await pglite.exec(
      `DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rds_iam') THEN CREATE ROLE rds_iam; END IF; END $$`,
    );

    await run(customResourceEvent('Create'));
    await run(customResourceEvent('Update', 'collections-schema')); // idempotent: every deployment re-asserts it
    const role = await pglite.query<{ rolcanlogin: boolean; rolsuper: boolean; iam: boolean }>(
      `SELECT rolcanlogin, rolsuper, pg_has_role($1, 'rds_iam', 'member') AS iam FROM pg_roles WHERE rolname = $1`,
      [APP_DATABASE_USER],
    );
    expect(role.rows).toEqual([{ rolcanlogin: true, rolsuper: false, iam: true }]);

    const tables = await pglite.query<{ table_name: string; dml: boolean; read: boolean }>(
      `SELECT table_name,
              has_table_privilege($1, 'public.' || quote_ident(table_name), 'SELECT, INSERT, UPDATE, DELETE') AS dml,
              has_table_privilege($1, 'public.' || quote_ident(table_name), 'SELECT') AS read
       FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
      [APP_DATABASE_USER],
    );
    expect(tables.rows.length).toBeGreaterThan(5);
    for (const t of tables.rows)
      expect({ [t.table_name]: t.table_name === 'schema_migrations' ? t.read : t.dml }).toEqual({ [t.table_name]: true });
    const migrations = await pglite.query<{ write: boolean }>(`SELECT has_table_privilege($1, 'schema_migrations', 'INSERT') AS write`, [
      APP_DATABASE_USER,
    ]);
    expect(migrations.rows[0]!.write).toBe(false);

    // A table a later migration creates (as the master user) is the app's too: default privileges.
    await pglite.exec('CREATE TABLE later_table (id int)');
    const later = await pglite.query<{ ok: boolean }>(`SELECT has_table_privilege($1, 'later_table', 'INSERT') AS ok`, [APP_DATABASE_USER]);
    expect(later.rows[0]!.ok).toBe(true);
    await pglite.exec('DROP TABLE later_table');

    // As the app user: data yes, no DDL on the tables that hold users' data.
    await pglite.exec(`SET ROLE ${APP_DATABASE_USER}`);
    try {
      await pglite.query(
        `INSERT INTO items (id, user_id, filename, original_filename, mime_type, file_size, sha256, original_key)
         VALUES ('22222222-2222-4222-8222-222222222222', 'app', 'f', 'f', 'image/png', 1, 'def', 'app/originals/f.png')`,
      );
      // The delete cascades to search_rows, whose statistics triggers run as its owner role.
      await pglite.query(`DELETE FROM items WHERE id = '22222222-2222-4222-8222-222222222222'`);
      await expect(pglite.query('DROP TABLE items')).rejects.toThrow(/owner|permission/);
      // The one exception: an index on search_rows (the HNSW build of a large collection).
      await pglite.query(`CREATE INDEX IF NOT EXISTS search_rows_app_test ON search_rows (embedding_model)`);
      await pglite.query('DROP INDEX search_rows_app_test');
      await expect(pglite.query('ALTER TABLE analyses ADD COLUMN nope int')).rejects.toThrow(/owner|permission/);
      await expect(pglite.query('DROP TABLE chat_sessions')).rejects.toThrow(/owner|permission/);
    } finally {
      await pglite.exec('RESET ROLE');
    }
  });

  it('fails the deployment when the database cannot be reached (the error propagates)', async () => {
    vi.stubEnv('DATABASE_URL', 'postgres://postgres@127.0.0.1:1/postgres');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    await expect(run(customResourceEvent('Create'))).rejects.toThrow(/ECONNREFUSED/);
  });

  it('refuses to run without a Postgres database', async () => {
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    vi.stubEnv('DATABASE_URL', '');
    await expect(run(customResourceEvent('Create'))).rejects.toThrow(/DATABASE_SECRET_ARN/);
  });
});

describe('cleanup (scheduled)', () => {
  let dynamo: DynamoDbLocal;
  let dataDir: string;
  let pglite: PGlite;
  let socket: PGLiteSocketServer;
  let url: string;
  beforeAll(async () => {
    dynamo = await startDynamoDbLocal();
    dataDir = await mkdtemp(path.join(tmpdir(), 'collections-cleanup-'));
    pglite = await PGlite.create({ extensions: { vector, btree_gin } });
    socket = new PGLiteSocketServer({ db: pglite, port: 0, host: '127.0.0.1', maxConnections: 4 });
    await socket.start();
    url = `postgres://postgres:postgres@127.0.0.1:${socket.getServerConn().split(':').pop()}/postgres`;
    vi.stubEnv('DATABASE_URL', url);
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    const { handler: migrate } = await import('../../src/lambda/handlers/migrate.js');
    await migrate(customResourceEvent('Create'), lambdaContext('collections-test-migrate'));
    vi.unstubAllEnvs();
  });
  afterAll(async () => {
    await dynamo?.stop();
    await socket?.stop();
    await pglite?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('purges expired chat sessions and fails direct uploads that never arrived, and reports counts', async () => {
    const table = await dynamo.createTable();
    const ttlMs = 4 * 3600_000;
    const clientConfig = { region: 'local', endpoint: dynamo.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
    // One session last active five hours ago (expired), one just now.
    const past = new DynamoDbChatStore({ clientConfig, tableName: table, ttlMs, now: () => new Date(Date.now() - 5 * 3600_000) });
    await past.recordTurn('alice', 'old', { title: 'old', messageCount: 2 });
    await past.close();
    const present = new DynamoDbChatStore({ clientConfig, tableName: table, ttlMs });
    await present.recordTurn('alice', 'new', { title: 'new', messageCount: 2 });

    // Direct uploads waiting for their bytes: one ticket issued two hours ago, one a minute ago;
    // and an old item that did arrive (a real hash).
    const insert = (id: string, sha: string, minutesAgo: number) =>
      pglite.query(
        `INSERT INTO items (id, user_id, filename, original_filename, mime_type, file_size, sha256, original_key, created_at)
         VALUES ($1, 'alice', 'f.png', 'f.png', 'image/png', 1, $2, $3, now() - ($4 || ' minutes')::interval)`,
        [id, sha, `alice/originals/${id}.png`, String(minutesAgo)],
      );
    const abandoned = '11111111-1111-4111-8111-111111111111';
    const waiting = '22222222-2222-4222-8222-222222222222';
    const arrived = '33333333-3333-4333-8333-333333333333';
    await insert(abandoned, pendingSha256(abandoned), 120);
    await insert(waiting, pendingSha256(waiting), 1);
    await insert(arrived, 'a'.repeat(64), 120);

    for (const [k, v] of Object.entries({
      CHAT_TABLE: table,
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      DATABASE_URL: url,
      AWS_REGION: 'local',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      COLLECTIONS_DATA_DIR: dataDir,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
    }))
      vi.stubEnv(k, v);
    const { handler } = await import('../../src/lambda/handlers/cleanup.js');
    const report = await handler(scheduledEvent(), lambdaContext('collections-test-cleanup'));
    expect(report).toMatchObject({
      store: 'dynamodb',
      active_sessions: 1,
      expired_sessions: 1,
      purged_sessions: 1,
      abandoned_uploads_failed: 1,
    });
    expect(await present.getSession('alice', 'new')).not.toBeNull();
    expect(await present.listSessions('alice')).toHaveLength(1);
    await present.close();

    const rows = await pglite.query<{ id: string; status: string; failed_step: string | null; error: string | null }>(
      'SELECT id, status, failed_step, error FROM items ORDER BY id',
    );
    expect(rows.rows).toEqual([
      { id: abandoned, status: 'failed', failed_step: 'process_image', error: ABANDONED_UPLOAD_ERROR },
      { id: waiting, status: 'uploaded', failed_step: null, error: null },
      { id: arrived, status: 'uploaded', failed_step: null, error: null },
    ]);
    // A second run finds nothing new.
    expect(await handler(scheduledEvent(), lambdaContext('collections-test-cleanup'))).toMatchObject({ abandoned_uploads_failed: 0 });
  });
});
