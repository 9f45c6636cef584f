import type { ChatSessionsConfig } from '../../config.js';
import type { ChatStore } from '../../ports/chat-store.js';
import type { Database } from '../../ports/database.js';
import type { ObjectStore } from '../../ports/object-store.js';
import { DynamoDbChatStore } from './dynamodb/store.js';
import { SqlChatStore } from './sql/store.js';

/**
 * The configured chat store: tables in the embedded (or any Postgres) database on a laptop,
 * DynamoDB on AWS (CHAT_TABLE; DYNAMODB_ENDPOINT for DynamoDB Local). Checkpoints too large for
 * a DynamoDB item go to the object store.
 */
export function createChatStore(config: ChatSessionsConfig, deps: { db?: Database; blobs?: ObjectStore }): ChatStore {
  if (config.store === 'dynamodb') {
    if (!config.table) throw new Error('CHAT_STORE=dynamodb needs CHAT_TABLE (the DynamoDB table name)');
    return new DynamoDbChatStore({
      // The store owns this client and destroys it on close().
      clientConfig: { region: config.region, ...(config.dynamodbEndpoint ? { endpoint: config.dynamodbEndpoint } : {}) },
      tableName: config.table,
      ttlMs: config.ttlMs,
      blobs: deps.blobs,
    });
  }
  if (!deps.db) throw new Error('the sql chat store needs the database');
  return new SqlChatStore({ db: deps.db, ttlMs: config.ttlMs });
}
