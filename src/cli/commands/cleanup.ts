import { createServices } from '../../app/services.js';
import { runChatCleanup } from '../../services/chat/cleanup.js';
import type { Config } from '../../shared/config.js';

/** `collections cleanup`: the chat cleanup job against the configured store. */
export async function cleanup(config: Config) {
  const services = await createServices(config, {}, { runPipeline: false });
  try {
    return await runChatCleanup(await services.chatStore());
  } finally {
    await services.close();
  }
}
