import { createChatStore } from '../../adapters/chat-store/index.js';
import { createObjectStore } from '../../adapters/object-store/index.js';
import { ABANDONED_UPLOAD_AFTER_MS, ABANDONED_UPLOAD_ERROR } from '../../domain/pending-upload.js';
import { runChatCleanup } from '../../services/chat/cleanup.js';
import { ItemsRepository } from '../../repositories/items.js';
import { loadLambdaConfig, openLambdaDatabase } from '../runtime/environment.js';
import { instrument, metrics, MetricUnit } from '../runtime/observability.js';

/**
 * The cleanup Lambda (an EventBridge schedule, hourly):
 * - purges expired chat sessions from the DynamoDB table named by CHAT_TABLE;
 * - marks direct uploads whose bytes never arrived as failed (ABANDONED_UPLOAD_AFTER_MS), so
 *   they do not stay "uploaded" forever; nothing is deleted.
 * It runs once an hour, so it builds its store and database connection per run rather than
 * caching them. It reads no API keys.
 */
export const handler = instrument('cleanup', async () => {
  const config = await loadLambdaConfig(process.env, { apiKeys: false });
  const store = await createChatStore(config.chatSessions, { blobs: createObjectStore(config.objectStore) });
  try {
    const report = await runChatCleanup(store);
    metrics.addMetric('ChatSessionsPurged', MetricUnit.Count, report.purged_sessions);
    const db = openLambdaDatabase(config);
    try {
      const before = new Date(Date.now() - ABANDONED_UPLOAD_AFTER_MS);
      const abandoned = await new ItemsRepository(db).failAbandonedUploads(before, ABANDONED_UPLOAD_ERROR);
      metrics.addMetric('AbandonedUploadsFailed', MetricUnit.Count, abandoned);
      return { ...report, abandoned_uploads_failed: abandoned };
    } finally {
      await db.close();
    }
  } finally {
    await store.close();
  }
});
