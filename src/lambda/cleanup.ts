import { createChatStore } from '../adapters/chat-store/index.js';
import { createObjectStore } from '../adapters/object-store/index.js';
import { runChatCleanup } from '../chat/cleanup.js';
import { loadConfig } from '../config.js';
import { instrument, metrics, MetricUnit } from './observability.js';

/**
 * The cleanup Lambda (an EventBridge schedule, hourly): purges expired chat sessions from the
 * DynamoDB table named by CHAT_TABLE. It needs no secrets and no database connection, and it
 * runs once an hour, so it builds its store per run rather than caching one.
 */
export const handler = instrument('cleanup', async () => {
  const config = loadConfig();
  const store = createChatStore(config.chatSessions, { blobs: createObjectStore(config.objectStore) });
  try {
    const report = await runChatCleanup(store);
    metrics.addMetric('ChatSessionsPurged', MetricUnit.Count, report.purged_sessions);
    return report;
  } finally {
    await store.close();
  }
});
