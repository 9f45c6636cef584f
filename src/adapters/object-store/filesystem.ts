/** Objects as files under one directory: the laptop home's object store. */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ObjectStore } from '../../ports/object-store.js';
import { assertValidObjectKey } from './keys.js';

/** Temp files start with this, so a crash's leftovers are easy to recognise and clean up. */
export const TEMP_FILE_PREFIX = '.tmp-';

function isErrno(err: unknown, ...codes: string[]): boolean {
  return err instanceof Error && codes.includes((err as NodeJS.ErrnoException).code ?? '');
}

export class FilesystemObjectStore implements ObjectStore {
  readonly kind = 'filesystem' as const;
  readonly rootDir: string;

  constructor(rootDir: string) {
    this.rootDir = path.resolve(rootDir);
  }

  /** The file for a key; throws for keys that are malformed or would leave the root. */
  pathFor(key: string): string {
    assertValidObjectKey(key);
    const file = path.resolve(this.rootDir, ...key.split('/'));
    // Belt and braces: the key rules already forbid escaping, this checks the outcome.
    const rootPrefix = this.rootDir.endsWith(path.sep) ? this.rootDir : this.rootDir + path.sep;
    if (!file.startsWith(rootPrefix)) {
      throw new Error(`Invalid object key ${JSON.stringify(key)}: resolves outside the store`);
    }
    return file;
  }

  /**
   * Writes to a temp file beside the target and renames it into place: readers see the old
   * bytes or the new ones, never half a file, even if the process dies mid-write. The data is
   * flushed before the rename so a power cut cannot leave an empty file under the real name.
   * The content type is not kept: the key's extension already says it.
   */
  /** Tags are for S3 lifecycle rules: files on a laptop have none to apply. */
  async put(key: string, body: Uint8Array, _contentType: string, _options?: { tags?: Readonly<Record<string, string>> }): Promise<void> {
    const file = this.pathFor(key);
    const dir = path.dirname(file);
    await mkdir(dir, { recursive: true });
    const temp = path.join(dir, `${TEMP_FILE_PREFIX}${path.basename(file)}-${randomBytes(6).toString('hex')}`);
    try {
      const handle = await open(temp, 'wx');
      try {
        await handle.writeFile(body);
        await handle.datasync();
      } finally {
        await handle.close();
      }
      await rename(temp, file);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }

  async get(key: string): Promise<Buffer | null> {
    const file = this.pathFor(key);
    try {
      return await readFile(file);
    } catch (err) {
      // A directory or a file in the way of the path is "no such object", as it would be on S3.
      if (isErrno(err, 'ENOENT', 'ENOTDIR', 'EISDIR')) return null;
      throw err;
    }
  }

  async exists(key: string): Promise<boolean> {
    const file = this.pathFor(key);
    try {
      return (await stat(file)).isFile();
    } catch (err) {
      if (isErrno(err, 'ENOENT', 'ENOTDIR')) return false;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    const file = this.pathFor(key);
    try {
      if (!(await stat(file)).isFile()) return; // a "folder" is not an object
    } catch (err) {
      if (isErrno(err, 'ENOENT', 'ENOTDIR')) return;
      throw err;
    }
    await rm(file, { force: true });
  }
}
