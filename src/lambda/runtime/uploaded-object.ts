import { PermanentError } from '../../domain/errors.js';
import type { Item } from '../../domain/item.js';
import type { ObjectStore } from '../../ports/object-store.js';
import type { StepDeps } from '../../services/pipeline/steps.js';
import { sha256Hex } from '../../services/pipeline/image/process.js';
import { sniffImageType } from '../../services/pipeline/image/sniff.js';
import { ItemsRepository } from '../../repositories/items.js';
import { isPendingSha256 } from '../../domain/pending-upload.js';

/**
 * The checks POST /items makes before storing, made once the bytes of a direct upload
 * (POST /items/uploads) are in S3, before process_image: the size limit (S3 enforced it too),
 * the real type from the bytes, the real sha256 in place of the placeholder, and duplicate
 * detection. A duplicate of an image the user already has fails this item with a reason
 * naming the item that holds it (its id was already given to the client, so it cannot just
 * vanish); its object stays until the user deletes the item. All of it is a PermanentError,
 * and re-running it after any outcome gives the same outcome (duplicate delivery).
 */
export async function settleDirectUpload(deps: StepDeps, item: Item, maxBytes: number): Promise<void> {
  if (!isPendingSha256(item.sha256)) return;
  const bytes = await deps.store.get(item.original_key);
  if (!bytes) throw new PermanentError(`original image is missing from storage (${item.original_key})`);
  if (bytes.length > maxBytes) {
    throw new PermanentError(`the upload is ${bytes.length} bytes; uploads are limited to ${maxBytes}`);
  }
  const type = sniffImageType(bytes);
  if (!type) throw new PermanentError('the uploaded file is not a supported image (png, jpeg, webp, gif or heic)');

  const sha256 = sha256Hex(bytes);
  const items = new ItemsRepository(deps.db);
  const holder = await items.findBySha256(item.user_id, sha256);
  if (holder && holder.id !== item.id) throw duplicateOf(holder.id);
  try {
    await items.settleUpload(item.user_id, item.id, item.sha256, { sha256, fileSize: bytes.length, mimeType: type.mimeType });
  } catch (err) {
    // Two uploads of the same bytes settled at the same moment: the unique index decided.
    if ((err as { code?: unknown }).code !== '23505') throw err;
    const winner = await items.findBySha256(item.user_id, sha256);
    throw duplicateOf(winner?.id ?? 'another item');
  }
}

const duplicateOf = (id: string) => new PermanentError(`duplicate: this image is already in the collection as item ${id}`);

/**
 * The store for one invocation, remembering the last object read: settling a direct upload
 * and processing it read the same original, which need not be downloaded twice.
 */
export function rememberLastRead(store: ObjectStore): ObjectStore {
  let last: { key: string; bytes: Buffer } | null = null;
  return {
    kind: store.kind,
    put: (key, body, contentType, options) => store.put(key, body, contentType, options),
    exists: (key) => store.exists(key),
    async get(key) {
      if (last?.key === key) return last.bytes;
      const bytes = await store.get(key);
      last = bytes ? { key, bytes } : null;
      return bytes;
    },
    async delete(key) {
      if (last?.key === key) last = null;
      await store.delete(key);
    },
  };
}
