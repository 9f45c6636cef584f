import type { Config } from '../../shared/config.js';
import type { Database } from '../../ports/database.js';
import { migrate } from './migrate.js';

/**
 * Opens the configured database and brings its schema up to date. Each adapter is imported when
 * chosen: the Lambdas (node-postgres) never load PGlite's half-megabyte of WebAssembly glue.
 */
export async function openDatabase(config: Config['database']): Promise<Database> {
  const db =
    config.kind === 'postgres'
      ? new (await import('./postgres.js')).PostgresDatabase(config.url)
      : await (await import('./pglite.js')).PGliteDatabase.open(config.dir);
  try {
    await migrate(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}
