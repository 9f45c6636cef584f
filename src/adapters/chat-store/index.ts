import type { ChatSessionsConfig } from '../../shared/config.js';
import type { ChatStore } from '../../ports/chat-store.js';
import type { Database } from '../../ports/database.js';
import type { ObjectStore } from '../../ports/object-store.js';

/**
 * The configured chat store: tables in the embedded (or any Postgres) database on a laptop,
 * DynamoDB on AWS (CHAT_TABLE; DYNAMODB_ENDPOINT for DynamoDB Local). Checkpoints too large for
 * a DynamoDB item go to the object store.
 *
 * Both stores hold a LangGraph checkpoint saver, and with it LangChain: each is imported when
 * created, so a process that never chats (most API cold starts) never loads them.
 */
/** What createChatStore would refuse, checked at start-up before anything is loaded. */
export function checkChatStoreConfig(config: ChatSessionsConfig, deps: { db?: Database }): void {
  if (config.store === 'dynamodb' && !config.table) throw new Error('CHAT_STORE=dynamodb needs CHAT_TABLE (the DynamoDB table name)');
  if (config.store !== 'dynamodb' && !deps.db) throw new Error('the sql chat store needs the database');
}

export async function createChatStore(config: ChatSessionsConfig, deps: { db?: Database; blobs?: ObjectStore }): Promise<ChatStore> {
  checkChatStoreConfig(config, deps);
  if (config.store === 'dynamodb' && config.table) {
    const { DynamoDbChatStore } = await import('./dynamodb/store.js');
    return new DynamoDbChatStore({
      // The store owns this client and destroys it on close().
      clientConfig: { region: config.region, ...(config.dynamodbEndpoint ? { endpoint: config.dynamodbEndpoint } : {}) },
      tableName: config.table,
      ttlMs: config.ttlMs,
      blobs: deps.blobs,
    });
  }
  const { SqlChatStore } = await import('./sql/store.js');
  return new SqlChatStore({ db: deps.db!, ttlMs: config.ttlMs });
}
