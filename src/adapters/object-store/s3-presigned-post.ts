import type { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import type { UploadPresigner, UploadRequest, UploadTicket } from '../../ports/upload-presigner.js';

/**
 * Short enough that a leaked form is soon useless, long enough to start a 25 MB upload on a
 * slow phone connection: S3 checks the expiration when the POST arrives, not when it ends.
 */
export const UPLOAD_TICKET_SECONDS = 300;

/**
 * An S3 presigned POST whose policy pins everything the processor relies on: the exact key
 * (`{userId}/originals/{itemId}.{ext}`, so the bytes can only land where the item row says),
 * the exact Content-Type the item was created with, and 1..maxBytes bytes. S3 rejects a form
 * that breaks any condition with 403 before storing anything. (PUT URLs cannot limit the size;
 * that is why this is a POST.)
 */
export class S3PresignedPost implements UploadPresigner {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly expiresSeconds = UPLOAD_TICKET_SECONDS,
  ) {}

  async presign({ key, contentType, maxBytes }: UploadRequest): Promise<UploadTicket> {
    const expiresAt = new Date(Date.now() + this.expiresSeconds * 1000);
    const { url, fields } = await createPresignedPost(this.client, {
      Bucket: this.bucket,
      Key: key,
      // Fields become exact-match conditions too (createPresignedPost adds them): Content-Type
      // is both sent by the client and enforced.
      Fields: { 'Content-Type': contentType },
      Conditions: [['content-length-range', 1, maxBytes]],
      Expires: this.expiresSeconds,
    });
    return { url, fields, expiresAt };
  }
}
