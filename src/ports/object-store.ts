/** Where originals and thumbnails live: files on a laptop, S3 on AWS. Keys per DESIGN.md §2. */
export interface ObjectStore {
  readonly kind: 'filesystem' | 's3';
  /** `tags`: S3 object tags (what lifecycle rules match); the filesystem store has no use for them. */
  put(key: string, body: Uint8Array, contentType: string, options?: { tags?: Readonly<Record<string, string>> }): Promise<void>;
  /** The object's bytes, or null when there is no such key. */
  get(key: string): Promise<Buffer | null>;
  exists(key: string): Promise<boolean>;
  /** Deleting a missing key is not an error (steps and deletes are idempotent). */
  delete(key: string): Promise<void>;
}
