/**
 * An item created by `POST /items/uploads` exists before its bytes do, so its sha256 (NOT NULL,
 * unique per user: duplicate detection) cannot be known yet. It holds this placeholder until
 * the image processor has read the uploaded object: unique per item, so it never collides, and
 * never a valid hex digest, so it can never equal a real hash.
 */
const PREFIX = 'pending:';

export const pendingSha256 = (itemId: string) => `${PREFIX}${itemId}`;
export const isPendingSha256 = (sha256: string) => sha256.startsWith(PREFIX);

/**
 * A direct upload whose bytes have not arrived this long after its ticket was issued never will
 * (the ticket is valid for UPLOAD_TICKET_SECONDS): the cleanup job marks it failed with a reason,
 * so it stops showing as "uploaded" forever. It is not deleted: the user does that. If the bytes
 * do arrive later after all, S3's event still processes the item (failed items are processed).
 */
export const ABANDONED_UPLOAD_AFTER_MS = 60 * 60 * 1000;
export const ABANDONED_UPLOAD_ERROR =
  'the upload never arrived: the image was not sent to the upload URL before it expired; upload it again';
