import { log } from '../../shared/logger.js';
import type { ChatStore, PurgeReport } from '../../ports/chat-store.js';

/**
 * The hourly cleanup of the original plan: counts active and expired chat sessions and removes
 * what the backend's own expiry has not removed yet (DynamoDB's TTL deletes lazily, within
 * about two days; the embedded database never does). `collections cleanup` runs it locally,
 * src/lambda/handlers/cleanup.ts on a schedule on AWS.
 */
export async function runChatCleanup(store: ChatStore): Promise<PurgeReport & { store: string; duration_ms: number }> {
  const started = performance.now();
  const report = await store.purgeExpired();
  const result = { store: store.kind, ...report, duration_ms: Math.round(performance.now() - started) };
  log.info('chat cleanup', result);
  return result;
}
