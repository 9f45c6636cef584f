import type { Config } from '../../config.js';
import type { Database } from '../../ports/database.js';
import { migrate } from './migrate.js';
import { PGliteDatabase } from './pglite.js';
import { PostgresDatabase } from './postgres.js';

/** Opens the configured database and brings its schema up to date. */
export async function openDatabase(config: Config['database']): Promise<Database> {
  const db =
    config.kind === 'postgres'
      ? new PostgresDatabase(config.url)
      : await PGliteDatabase.open(config.dir);
  try {
    await migrate(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}
