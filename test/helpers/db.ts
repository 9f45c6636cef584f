import { PGliteDatabase } from '../../src/adapters/database/pglite.js';
import { migrate } from '../../src/adapters/database/migrate.js';

/** An in-memory, migrated PGlite with pgvector. Start-up is ~5 s: share one per test file. */
export async function openTestDatabase(): Promise<PGliteDatabase> {
  const db = await PGliteDatabase.open();
  await migrate(db);
  return db;
}

/** Empties every table between tests (much faster than a new instance). */
export async function resetDatabase(db: PGliteDatabase) {
  await db.query('TRUNCATE search_rows, analyses, items CASCADE');
}
