/**
 * An item created by `POST /items/uploads` exists before its bytes do, so its sha256 (NOT NULL,
 * unique per user: duplicate detection) cannot be known yet. It holds this placeholder until
 * the image processor has read the uploaded object: unique per item, so it never collides, and
 * never a valid hex digest, so it can never equal a real hash.
 */
const PREFIX = 'pending:';

export const pendingSha256 = (itemId: string) => `${PREFIX}${itemId}`;
export const isPendingSha256 = (sha256: string) => sha256.startsWith(PREFIX);
