/**
 * Objects in an S3 bucket: the AWS home's object store, and any S3-compatible server (MinIO,
 * s3rver, LocalStack) through `endpoint` + `forcePathStyle`.
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import type { ObjectStore } from '../../ports/object-store.js';
import { assertValidObjectKey } from './keys.js';

export interface S3ObjectStoreOptions {
  bucket: string;
  region: string;
  /** An S3-compatible server's URL; omit for AWS itself. */
  endpoint?: string;
  /** `http://host/bucket/key` instead of `http://bucket.host/key`; most local servers need it. */
  forcePathStyle?: boolean;
  /** Omit to use the default chain (environment, Lambda role, profile). */
  credentials?: S3ClientConfig['credentials'];
  /** A ready client, e.g. one shared with other code; the options above then only name the bucket. */
  client?: S3Client;
}

/** True when S3 says the key does not exist. A missing bucket is a setup error and is thrown. */
function isMissingKey(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === 'NoSuchKey' || err.name === 'NotFound') return true;
  const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status === 404 && err.name !== 'NoSuchBucket';
}

export class S3ObjectStore implements ObjectStore {
  readonly kind = 's3' as const;
  readonly bucket: string;
  readonly client: S3Client;

  constructor(options: S3ObjectStoreOptions) {
    if (!options.bucket) throw new Error('S3 object store needs a bucket name (S3_BUCKET).');
    this.bucket = options.bucket;
    this.client =
      options.client ??
      new S3Client({
        region: options.region,
        endpoint: options.endpoint,
        forcePathStyle: options.forcePathStyle,
        credentials: options.credentials,
        // Since early 2025 the SDK adds CRC checksums to every upload by default, and several
        // S3-compatible servers reject or mishandle them (aws-sdk-js-v3 #6810). AWS itself
        // gets the default; a custom endpoint gets checksums only where S3 requires them.
        ...(options.endpoint ? { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } : {}),
      });
  }

  async put(key: string, body: Uint8Array, contentType: string, options: { tags?: Readonly<Record<string, string>> } = {}): Promise<void> {
    assertValidObjectKey(key);
    // Tagging is a URL query string (`kind=thumbnail`), set in the same request as the object.
    const tagging = options.tags && Object.keys(options.tags).length ? new URLSearchParams(options.tags).toString() : undefined;
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType, ...(tagging && { Tagging: tagging }) }),
    );
  }

  async get(key: string): Promise<Buffer | null> {
    assertValidObjectKey(key);
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!response.Body) return Buffer.alloc(0);
      const bytes = await response.Body.transformToByteArray();
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    } catch (err) {
      if (isMissingKey(err)) return null;
      throw err;
    }
  }

  async exists(key: string): Promise<boolean> {
    assertValidObjectKey(key);
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (err) {
      if (isMissingKey(err)) return false;
      throw err;
    }
  }

  /** S3 answers 204 whether or not the key existed, which is exactly the port's contract. */
  async delete(key: string): Promise<void> {
    assertValidObjectKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }
}
