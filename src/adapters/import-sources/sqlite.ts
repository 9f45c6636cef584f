import { copyFile, mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { errorMessage } from '../../domain/errors.js';
import { ImportInputError } from './source.js';

export interface ReadOnlySqlite {
  db: Database.Database;
  tables: Set<string>;
  columns(table: string): Set<string>;
  close(): Promise<void>;
}

/**
 * Opens a SQLite file read-only: the source is never written. A database in WAL mode is read
 * from a private copy (with its `-wal`, if there is one): even a read-only connection creates
 * `-shm`/`-wal` files beside a WAL database, and cannot open it at all where the folder is
 * read-only. Rollback-journal databases (collections-local's) are read in place.
 */
export async function openReadOnlySqlite(file: string, what = '--source'): Promise<ReadOnlySqlite> {
  const openDb = (f: string) => {
    const db = new Database(f, { readonly: true, fileMustExist: true });
    try {
      // better-sqlite3 opens any file; the first read says whether it is a database at all.
      const tables = new Set(
        db
          .prepare<[], { name: string }>(`SELECT name FROM sqlite_master WHERE type IN ('table', 'view')`)
          .all()
          .map((r) => r.name),
      );
      return { db, tables };
    } catch (err) {
      db.close();
      throw err;
    }
  };
  let tmp: string | null = null;
  let target = file;
  if (await isWalMode(file)) {
    tmp = await mkdtemp(path.join(tmpdir(), 'collections-import-'));
    target = path.join(tmp, path.basename(file));
    await copyFile(file, target);
    if (
      await stat(`${file}-wal`).then(
        (s) => s.isFile(),
        () => false,
      )
    )
      await copyFile(`${file}-wal`, `${target}-wal`);
  }
  let opened: { db: Database.Database; tables: Set<string> };
  try {
    opened = openDb(target);
  } catch (err) {
    if (tmp) await rm(tmp, { recursive: true, force: true });
    throw new ImportInputError(`${what} ${file} is not a SQLite database (${errorMessage(err)})`);
  }
  const { db, tables } = opened;
  return {
    db,
    tables,
    columns: (table) =>
      new Set(
        db
          .prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table.replace(/'/g, "''")}')`)
          .all()
          .map((r) => r.name),
      ),
    async close() {
      db.close();
      if (tmp) await rm(tmp, { recursive: true, force: true });
    },
  };
}

/** The SQLite header says WAL when its file format versions (bytes 18 and 19) are 2. */
async function isWalMode(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const header = Buffer.alloc(20);
    const { bytesRead } = await handle.read(header, 0, 20, 0);
    return bytesRead === 20 && header.subarray(0, 16).toString('latin1') === 'SQLite format 3\0' && (header[18] === 2 || header[19] === 2);
  } finally {
    await handle.close();
  }
}
