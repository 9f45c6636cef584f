import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from '../../ports/database.js';
import { ensureAppUser } from './app-user.js';

/**
 * One migration set for PGlite and Postgres: numbered SQL files applied in order, each in its
 * own transaction, recorded in schema_migrations. Plain SQL rather than an ORM's generator
 * because search needs tsvector, pgvector and extension DDL that generators do not express.
 */
const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export async function listMigrations(dir = MIGRATIONS_DIR) {
  const files = (await readdir(dir)).filter((f) => /^\d{4}_.+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (file) => ({
      version: file.replace(/\.sql$/, ''),
      sql: await readFile(path.join(dir, file), 'utf8'),
    })),
  );
}

export async function migrate(db: Database): Promise<string[]> {
  await db.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version text PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const applied: string[] = [];
  for (const m of await listMigrations()) {
    const ran = await db.transaction(async (tx) => {
      // Serialises concurrent starts (several Lambdas or servers) on real Postgres.
      if (db.kind === 'postgres') await tx.query('SELECT pg_advisory_xact_lock(7311001)');
      const done = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [m.version]);
      if (done.rows.length > 0) return false;
      await tx.query(m.sql);
      await tx.query('INSERT INTO schema_migrations (version) VALUES ($1)', [m.version]);
      return true;
    });
    if (ran) applied.push(m.version);
  }
  return applied;
}

/**
 * A deployment's schema step (the migrate Lambda): pgvector, the migrations that have not run,
 * then the application's login role. pgvector first, so a database whose owner may create it
 * (the RDS master user) has it before any migration needs the type (also in migration 0001).
 */
export async function prepareSchema(db: Database, appUser: string | undefined): Promise<{ applied: string[]; latest: string }> {
  await db.query('CREATE EXTENSION IF NOT EXISTS vector');
  const applied = await migrate(db);
  if (appUser) await ensureAppUser(db, appUser);
  const latest = (await db.query<{ version: string }>('SELECT max(version) AS version FROM schema_migrations')).rows[0]?.version ?? '';
  return { applied, latest };
}
