import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FilesystemObjectStore } from '../../src/adapters/object-store/filesystem.js';
import { objectKeys } from '../../src/domain/item.js';
import { describeObjectStoreContract } from './contract.js';

let workDir: string;
beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'collections-fs-store-'));
});
afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

// The root does not exist yet: the store creates directories as it needs them.
describeObjectStoreContract('FilesystemObjectStore', () => new FilesystemObjectStore(path.join(workDir, 'contract', 'objects')));

/** Every file under dir, as paths relative to it. */
async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

describe('FilesystemObjectStore on disk', () => {
  let root: string;
  let store: FilesystemObjectStore;
  beforeAll(() => {
    root = path.join(workDir, 'disk');
    store = new FilesystemObjectStore(root);
  });

  it('maps a key to the file of the same relative path', async () => {
    const key = objectKeys.original('u1', 'item1', 'jpg');
    await store.put(key, Buffer.from('jpeg bytes'), 'image/jpeg');
    expect(await readFile(path.join(root, 'u1', 'originals', 'item1.jpg'), 'utf8')).toBe('jpeg bytes');
    expect(store.pathFor(key)).toBe(path.join(root, 'u1', 'originals', 'item1.jpg'));
  });

  it('never lets a key reach outside the root', async () => {
    await writeFile(path.join(workDir, 'secret.txt'), 'secret');
    for (const key of ['../secret.txt', 'u1/../../secret.txt', '/etc/passwd', '..\\secret.txt', 'C:/x.jpg']) {
      expect(() => store.pathFor(key)).toThrow(/Invalid object key/);
      await expect(store.get(key)).rejects.toThrow(/Invalid object key/);
      await expect(store.delete(key)).rejects.toThrow(/Invalid object key/);
    }
    expect(await readFile(path.join(workDir, 'secret.txt'), 'utf8')).toBe('secret');
  });

  it('leaves no temp files after writes and overwrites', async () => {
    const user = `u-${randomUUID()}`;
    const keys = Array.from({ length: 20 }, (_, i) => objectKeys.thumbnail(user, `item${i}`));
    await Promise.all(keys.map((k) => store.put(k, Buffer.alloc(10_000, 1), 'image/webp')));
    await Promise.all(keys.map((k) => store.put(k, Buffer.alloc(5_000, 2), 'image/webp')));
    const files = await listFiles(path.join(root, user));
    expect(files).toEqual(keys.map((k) => path.relative(user, k)).sort());
  });

  it('concurrent writers to one key leave one whole version, never a mix', async () => {
    const key = objectKeys.original(`u-${randomUUID()}`, 'contended', 'png');
    const versions = Array.from({ length: 10 }, (_, i) => Buffer.alloc(100_000, i));
    await Promise.all(versions.map((v) => store.put(key, v, 'image/png')));
    const read = (await store.get(key))!;
    expect(versions.some((v) => v.equals(read))).toBe(true);
    expect(await readdir(path.dirname(store.pathFor(key)))).toEqual(['contended.png']);
  });

  it('keeps the old bytes and removes its temp file when a write fails', async () => {
    const user = `u-${randomUUID()}`;
    const key = objectKeys.original(user, 'item', 'jpg');
    await store.put(key, Buffer.from('old'), 'image/jpeg');
    // A body the write itself rejects (after the temp file is open) stands in for a full disk.
    const unwritable = { notBytes: true } as unknown as Uint8Array;
    await expect(store.put(key, unwritable, 'image/jpeg')).rejects.toThrow(/"data" argument/);
    expect((await store.get(key))!.toString()).toBe('old');
    expect(await listFiles(path.join(root, user))).toEqual(['originals/item.jpg']);
  });

  it('reads files that appeared by other means, and treats directories as missing', async () => {
    await mkdir(path.join(root, 'u2', 'originals'), { recursive: true });
    await writeFile(path.join(root, 'u2', 'originals', 'x.png'), 'png');
    expect((await store.get('u2/originals/x.png'))!.toString()).toBe('png');
    expect(await store.get('u2/originals')).toBeNull();
  });
});
