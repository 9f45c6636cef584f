/**
 * Where POST /chat/stream goes. On AWS app-config.json names the chat-stream function URL (it
 * ends with `/`): streaming there passes each token on as it is written and is not cut at API
 * Gateway's 30 s. Elsewhere (the local server, or a config without it) the API serves the route.
 */
export function chatStreamEndpoint(apiBaseUrl: string, chatStreamUrl?: string | null): string {
  if (chatStreamUrl) return new URL('chat/stream', chatStreamUrl.replace(/\/*$/, '/')).href;
  return `${apiBaseUrl.replace(/\/+$/, '')}/chat/stream`;
}
