/**
 * Serialized checkpoints, metadata and writes ("payloads") inside records that DynamoDB caps at
 * 400 KB. A conversation grows with every turn and a tool result can be large, so a payload
 * of any size must be storable, or a long chat would start failing its turns:
 *
 * 1. A payload of `compressFromBytes` (1 KiB: more than one write unit) or more is gzipped
 *    when that makes it smaller. Chat state is JSON text and usually shrinks 5-10×.
 * 2. If the record (keys, other attributes, inline payloads) is still above `itemBudgetBytes`
 *    (350 KB, leaving room below the 400 KB limit for estimate error and small attributes),
 *    its largest payloads leave the record until it fits:
 *    - with an object store (`blobs`): to an object `{userId}/chat/{sessionId}/{sha256}.bin`;
 *    - without one: split into `part#{sha256}#{n}` records of the same thread, `partBytes`
 *      each, read back with strongly consistent BatchGetItem.
 *    Both are content addressed and written before the record that points at them, so a
 *    reader never finds a pointer to missing bytes, and a retried or conflicting write never
 *    overwrites another payload's bytes. Their SHA-256 is checked when they are read back.
 *
 * What stays in the record is a map: `{ type, encoding, data }` inline, or `{ type, encoding,
 * sha256, size, parts }` / `{ type, encoding, sha256, size, blob }` when the bytes live
 * elsewhere. `type` is the serializer's type tag (`serde.dumpsTyped`).
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { OBJECT_TAGS } from '../../../domain/item.js';
import type { ObjectStore } from '../../../ports/object-store.js';
import { batchGet, putItems, type Item, type RetryPolicy } from './dynamo.js';
import { DYNAMODB_ITEM_LIMIT_BYTES, itemSize } from './item-size.js';
import { blobKey, partSk } from './keys.js';
import { ATTR } from '../../../contracts/chat-table.js';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

export interface PayloadLimits {
  /** Payloads at least this large are gzipped (kept so only when that is smaller). */
  compressFromBytes: number;
  /** A record is kept under this many bytes; larger payloads leave it. */
  itemBudgetBytes: number;
  /** Size of one part record's slice when a payload is split without an object store. */
  partBytes: number;
}

export const DEFAULT_PAYLOAD_LIMITS: PayloadLimits = {
  compressFromBytes: 1024,
  itemBudgetBytes: 350_000,
  partBytes: 350_000,
};

/** A BatchGetItem response stops at 16 MB; ask for no more parts than fit in one. */
const BATCH_GET_RESPONSE_BYTES = 15 * 1024 * 1024;

const bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected binary');
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
const common = { type: z.string(), encoding: z.enum(['identity', 'gzip']) };
const inlinePayload = z.object({ ...common, data: bytes });
const elsewhere = { ...common, sha256: sha256Hex, size: z.number().int().nonnegative() };
const partsPayload = z.object({ ...elsewhere, parts: z.number().int().positive() });
const blobPayload = z.object({ ...elsewhere, blob: z.string().min(1) });

export const storedPayload = z.union([inlinePayload, partsPayload, blobPayload]);
export type StoredPayload = z.infer<typeof storedPayload>;
type InlinePayload = z.infer<typeof inlinePayload>;

/** A serializer's output: `[type, bytes]`, as `dumpsTyped` returns it. */
export type Serialized = [type: string, data: Uint8Array];

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

export interface PayloadStoreOptions {
  doc: DynamoDBDocumentClient;
  tableName: string;
  blobs?: ObjectStore;
  limits: PayloadLimits;
  retry?: RetryPolicy;
}

export class PayloadStore {
  constructor(private readonly options: PayloadStoreOptions) {}

  /**
   * The record with its payloads attached, after writing whatever had to leave it. Throws
   * when even the record without its payloads is too large for DynamoDB.
   */
  async pack(thread: string, record: Item, payloads: Record<string, Serialized>): Promise<Item> {
    const attached: Record<string, StoredPayload> = {};
    await Promise.all(
      Object.entries(payloads).map(async ([name, [type, data]]) => {
        attached[name] = await this.compress(type, data);
      }),
    );
    const expiresAt: unknown = record[ATTR.expiresAt];
    const sizeNow = () => itemSize({ ...record, ...attached });
    while (sizeNow() > this.options.limits.itemBudgetBytes) {
      const largest = Object.entries(attached)
        .filter((entry): entry is [string, InlinePayload] => 'data' in entry[1])
        .sort(([, a], [, b]) => b.data.byteLength - a.data.byteLength)[0];
      if (!largest) break;
      const [name, payload] = largest;
      attached[name] = await this.moveOut(thread, payload, typeof expiresAt === 'number' ? expiresAt : undefined);
    }
    const item = { ...record, ...attached };
    const size = itemSize(item);
    if (size > DYNAMODB_ITEM_LIMIT_BYTES) {
      throw new Error(`A chat record of ${size} bytes is too large for DynamoDB even without its payloads`);
    }
    return item;
  }

  /** A payload's serialized bytes, wherever they were put. */
  async unpack(thread: string, payload: StoredPayload): Promise<Serialized> {
    let data: Uint8Array;
    if ('data' in payload) {
      data = payload.data;
    } else {
      data = 'blob' in payload ? await this.readBlob(payload.blob) : await this.readParts(thread, payload.sha256, payload.parts);
      if (data.byteLength !== payload.size || sha256(data) !== payload.sha256) {
        throw new Error(`A stored chat payload (${payload.sha256}) does not match its checksum`);
      }
    }
    return [payload.type, payload.encoding === 'gzip' ? await gunzipAsync(data) : data];
  }

  private async compress(type: string, data: Uint8Array): Promise<InlinePayload> {
    if (data.byteLength >= this.options.limits.compressFromBytes) {
      const zipped = await gzipAsync(data);
      if (zipped.byteLength < data.byteLength) return { type, encoding: 'gzip', data: zipped };
    }
    return { type, encoding: 'identity', data };
  }

  private async moveOut(thread: string, payload: InlinePayload, expiresAt: number | undefined): Promise<StoredPayload> {
    const { type, encoding, data } = payload;
    const digest = sha256(data);
    const common = { type, encoding, sha256: digest, size: data.byteLength };
    const { blobs, limits, doc, tableName, retry } = this.options;
    if (blobs) {
      const key = blobKey(thread, digest);
      // Tagged: if DynamoDB's TTL deletes the records before the cleanup job deletes this object,
      // the bucket's lifecycle rule for the tag still removes it (infra/lib/storage.ts).
      await blobs.put(key, data, 'application/octet-stream', { tags: OBJECT_TAGS.chatPayload });
      return { ...common, blob: key };
    }
    const parts: Item[] = [];
    for (let offset = 0, n = 0; offset < data.byteLength; offset += limits.partBytes, n++) {
      parts.push({
        [ATTR.pk]: thread,
        [ATTR.sk]: partSk(digest, n),
        data: data.subarray(offset, offset + limits.partBytes),
        ...(expiresAt !== undefined && { [ATTR.expiresAt]: expiresAt }),
      });
    }
    await putItems(doc, tableName, parts, retry);
    return { ...common, parts: parts.length };
  }

  private async readBlob(key: string): Promise<Uint8Array> {
    const { blobs } = this.options;
    if (!blobs) throw new Error(`A chat payload lives in the object store (${key}) but none is configured`);
    const data = await blobs.get(key);
    if (!data) throw new Error(`A chat payload's object ${key} is missing`);
    return data;
  }

  private async readParts(thread: string, digest: string, count: number): Promise<Uint8Array> {
    const { doc, tableName, limits, retry } = this.options;
    const keys = Array.from({ length: count }, (_, n) => ({ [ATTR.pk]: thread, [ATTR.sk]: partSk(digest, n) }));
    const perRequest = Math.max(1, Math.floor(BATCH_GET_RESPONSE_BYTES / limits.partBytes));
    const found = new Map<string, Uint8Array>();
    for (const item of await batchGet(doc, tableName, keys, { perRequest, policy: retry })) {
      const parsed = partRecord.parse(item);
      found.set(parsed[ATTR.sk], parsed.data);
    }
    const slices = keys.map((key) => {
      const slice = found.get(key[ATTR.sk]!);
      if (!slice) throw new Error(`Part ${key[ATTR.sk]} of a chat payload is missing`);
      return slice;
    });
    return Buffer.concat(slices);
  }
}

const partRecord = z.object({ [ATTR.sk]: z.string(), data: bytes });

/** The object keys a record's payloads were moved to (to delete them with the record). */
export function blobKeysOf(record: Item, payloadAttributes: readonly string[]): string[] {
  const keys: string[] = [];
  for (const name of payloadAttributes) {
    const parsed = z.object({ blob: z.string() }).safeParse(record[name]);
    if (parsed.success) keys.push(parsed.data.blob);
  }
  return keys;
}
