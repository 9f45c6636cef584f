/**
 * What DynamoDbSaver's read path (checkpoint-reads.ts), write path (checkpoint-writes.ts) and
 * thread deletion (thread-deletion.ts) share: the table, how payloads are stored and
 * serialized, and the saver's view of which records have expired.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SerializerProtocol } from '@langchain/langgraph-checkpoint';
import type { ObjectStore } from '../../../ports/object-store.js';
import type { RetryPolicy } from './dynamo.js';
import type { PayloadStore } from './payload.js';
import { ATTR } from '../../../contracts/chat-table.js';

export interface SaverContext {
  readonly doc: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly payloads: PayloadStore;
  /** Where payloads too large for a record went, if anywhere (deleting a thread deletes them). */
  readonly blobs: ObjectStore | undefined;
  readonly serde: SerializerProtocol;
  readonly retry: RetryPolicy;
  /** `expires_at` for a record written now (undefined: it never expires). */
  expiresAtSeconds(): number | undefined;
  /** Whether a record is still visible (DynamoDB may not have deleted an expired one yet). */
  isLive(record: { [ATTR.expiresAt]?: number | undefined }): boolean;
  /** Now, in epoch seconds, for conditions on `expires_at`. */
  nowSeconds(): number;
  /** The version after `current` (BaseCheckpointSaver.getNextVersion). */
  nextVersion(current: number | undefined): number;
}
