import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FilesystemObjectStore } from '../../src/adapters/object-store/filesystem.js';
import { createObjectStore } from '../../src/adapters/object-store/index.js';
import { S3ObjectStore } from '../../src/adapters/object-store/s3.js';
import { loadConfig } from '../../src/shared/config.js';

const objectStoreConfig = (env: Record<string, string>) => loadConfig(env).objectStore;

describe('createObjectStore', () => {
  it('uses files under the data dir by default', () => {
    const store = createObjectStore(objectStoreConfig({ COLLECTIONS_DATA_DIR: '/tmp/collections-x' }));
    expect(store).toBeInstanceOf(FilesystemObjectStore);
    expect(store.kind).toBe('filesystem');
    expect((store as FilesystemObjectStore).rootDir).toBe(path.resolve('/tmp/collections-x/objects'));
  });

  it('uses S3 when a bucket is set', () => {
    const store = createObjectStore(objectStoreConfig({ S3_BUCKET: 'b', S3_ENDPOINT: 'http://127.0.0.1:9', S3_FORCE_PATH_STYLE: 'true' }));
    expect(store).toBeInstanceOf(S3ObjectStore);
    expect(store.kind).toBe('s3');
    expect((store as S3ObjectStore).bucket).toBe('b');
  });

  it('explains OBJECT_STORE=s3 without a bucket', () => {
    expect(() => createObjectStore(objectStoreConfig({ OBJECT_STORE: 's3' }))).toThrow(/S3_BUCKET/);
  });
});
