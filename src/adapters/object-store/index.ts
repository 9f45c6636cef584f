/** Picks the object store named by configuration (OBJECT_STORE, S3_*). */
import type { Config } from '../../shared/config.js';
import type { ObjectStore } from '../../ports/object-store.js';
import { FilesystemObjectStore } from './filesystem.js';
import { S3ObjectStore } from './s3.js';

export type ObjectStoreConfig = Config['objectStore'];

export function createObjectStore(config: ObjectStoreConfig): ObjectStore {
  if (config.kind === 'filesystem') return new FilesystemObjectStore(config.dir);
  if (!config.bucket) throw new Error('OBJECT_STORE=s3 needs S3_BUCKET to be set.');
  return new S3ObjectStore({
    bucket: config.bucket,
    region: config.region,
    endpoint: config.endpoint,
    forcePathStyle: config.forcePathStyle,
  });
}

export { FilesystemObjectStore } from './filesystem.js';
export { S3ObjectStore, type S3ObjectStoreOptions } from './s3.js';
export { assertValidObjectKey } from './keys.js';
