import { CHAT_TURN_TIMEOUT_MS } from '../../contracts/aws.js';
import type { Config } from '../../shared/config.js';

/**
 * API Gateway's HTTP API cuts every request at 30 s with a bare 503, so a chat turn here stops
 * at 25 s at most (whatever CHAT_TURN_TIMEOUT_MS says; the stack sets it to that) and answers
 * its own 504 `chat_timeout`, which says where a longer turn can run: the chat-stream function.
 */
export const API_CHAT_TIMEOUT_HINT =
  'requests through the HTTP API may take 30 s; POST /chat/stream on the chat stream URL (chatStreamUrl in app-config.json) has no such limit';

export function behindHttpApi(config: Config): Config {
  const turnTimeoutMs = Math.min(config.chatSessions.turnTimeoutMs, CHAT_TURN_TIMEOUT_MS.api);
  return { ...config, chatSessions: { ...config.chatSessions, turnTimeoutMs, timeoutHint: API_CHAT_TIMEOUT_HINT } };
}
