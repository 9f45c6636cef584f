export { DynamoDbChatStore, type DynamoDbChatStoreOptions } from './store.js';
export { CheckpointConflictError, DynamoDbSaver, type DynamoDbSaverOptions, type ThreadDeletion } from './saver.js';
export { CHAT_TABLE, SESSIONS_INDEX, createTableInput, enableTtlInput, type TableDefinition } from '../../../contracts/chat-table.js';
export { DEFAULT_PAYLOAD_LIMITS, type PayloadLimits } from './payload.js';
export type { RetryPolicy } from './dynamo.js';
