/**
 * What every ObjectStore must do, whichever home it serves. Each adapter's test file calls
 * describeObjectStoreContract with a factory; the factory runs in beforeAll, after the file's
 * own setup (for S3, starting the server).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { objectKeys } from '../../src/domain/item.js';
import type { ObjectStore } from '../../src/ports/object-store.js';

/** Each test works under its own user id, so tests never see each other's objects. */
const freshUser = () => `user-${randomUUID()}`;

/** Every byte value, including NUL and bytes that are not valid UTF-8. */
const allByteValues = () => Uint8Array.from({ length: 256 }, (_, i) => i);

export function describeObjectStoreContract(name: string, factory: () => ObjectStore | Promise<ObjectStore>): void {
  describe(`${name} (ObjectStore contract)`, () => {
    let store: ObjectStore;
    beforeAll(async () => {
      store = await factory();
    });

    it('round-trips binary bytes exactly', async () => {
      const key = objectKeys.original(freshUser(), randomUUID(), 'jpg');
      const body = Buffer.concat([allByteValues(), randomBytes(200_000)]);
      await store.put(key, body, 'image/jpeg');
      const read = await store.get(key);
      expect(Buffer.isBuffer(read)).toBe(true);
      expect(read!.equals(body)).toBe(true);
    });

    it('stores an empty object', async () => {
      const key = `${freshUser()}/originals/empty.png`;
      await store.put(key, new Uint8Array(0), 'image/png');
      expect(await store.exists(key)).toBe(true);
      expect((await store.get(key))!.length).toBe(0);
    });

    it('overwrites an existing key', async () => {
      const key = objectKeys.thumbnail(freshUser(), randomUUID());
      await store.put(key, Buffer.from('first version, longer than the second'), 'image/webp');
      await store.put(key, Buffer.from('second'), 'image/webp');
      expect((await store.get(key))!.toString()).toBe('second');
    });

    it('returns null and false for a missing key', async () => {
      const key = objectKeys.original(freshUser(), randomUUID(), 'png');
      expect(await store.get(key)).toBeNull();
      expect(await store.exists(key)).toBe(false);
    });

    it('treats a key prefix as no object', async () => {
      const user = freshUser();
      await store.put(objectKeys.original(user, randomUUID(), 'jpg'), Buffer.from('x'), 'image/jpeg');
      expect(await store.get(`${user}/originals`)).toBeNull();
      expect(await store.exists(`${user}/originals`)).toBe(false);
      await store.delete(`${user}/originals`); // not an error, and not a recursive delete
    });

    it('reports existence after put and not after delete', async () => {
      const key = objectKeys.original(freshUser(), randomUUID(), 'webp');
      await store.put(key, Buffer.from([1, 2, 3]), 'image/webp');
      expect(await store.exists(key)).toBe(true);
      await store.delete(key);
      expect(await store.exists(key)).toBe(false);
      expect(await store.get(key)).toBeNull();
    });

    it('deletes idempotently', async () => {
      const key = objectKeys.original(freshUser(), randomUUID(), 'gif');
      await store.delete(key); // never existed
      await store.put(key, Buffer.from('gif'), 'image/gif');
      await store.delete(key);
      await store.delete(key); // already gone
      expect(await store.exists(key)).toBe(false);
    });

    it('keeps objects of different users and kinds apart', async () => {
      const [alice, bob, item] = [freshUser(), freshUser(), randomUUID()];
      const keys = [objectKeys.original(alice, item, 'jpg'), objectKeys.thumbnail(alice, item), objectKeys.original(bob, item, 'jpg')];
      await Promise.all(keys.map((k) => store.put(k, Buffer.from(k), 'application/octet-stream')));
      for (const k of keys) expect((await store.get(k))!.toString()).toBe(k);
      await store.delete(keys[0]!);
      expect(await store.exists(keys[1]!)).toBe(true);
      expect(await store.exists(keys[2]!)).toBe(true);
    });

    it('accepts ids with dots, dashes, underscores, @ and |', async () => {
      const key = objectKeys.original('auth0|user.name_1@example.com', 'item-1.v2', 'heic');
      await store.put(key, Buffer.from('heic'), 'image/heic');
      expect((await store.get(key))!.toString()).toBe('heic');
    });

    it.each(['', '/abs/key.jpg', '../escape.jpg', 'u/../../escape.jpg', 'u//x.jpg', 'u/./x.jpg', 'u\\x.jpg', 'u/x/'])(
      'rejects the malformed key %j',
      async (key) => {
        await expect(store.put(key, Buffer.from('x'), 'image/jpeg')).rejects.toThrow(/Invalid object key/);
        await expect(store.get(key)).rejects.toThrow(/Invalid object key/);
        await expect(store.exists(key)).rejects.toThrow(/Invalid object key/);
        await expect(store.delete(key)).rejects.toThrow(/Invalid object key/);
      },
    );
  });
}
