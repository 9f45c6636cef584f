import { createChatStore } from '../adapters/chat-store/index.js';
import { createObjectStore } from '../adapters/object-store/index.js';
import { runChatCleanup } from '../chat/cleanup.js';
import { loadConfig } from '../config.js';

/**
 * The cleanup Lambda (an EventBridge schedule, hourly): purges expired chat sessions from the
 * DynamoDB table named by CHAT_TABLE. It needs no secrets and no database connection.
 */
export async function handler() {
  const config = loadConfig();
  const store = createChatStore(config.chatSessions, { blobs: createObjectStore(config.objectStore) });
  try {
    return await runChatCleanup(store);
  } finally {
    await store.close();
  }
}
