import { ApiError, authHeaders, chatStreamUrlOf, toApiError, type ChatResponse } from './client';
import type { components } from './schema';
import { readSse } from './sse';

/** POST /chat/stream: one turn as Server-Sent Events, read with fetch (POST + bearer token). */
export type ChatRequest = components['schemas']['ChatRequest'];

export type ChatStreamEvent =
  | { type: 'session'; session_id: string }
  | { type: 'token'; text: string }
  | { type: 'tool_call'; id?: string; tool: string; input: Record<string, unknown> }
  | { type: 'tool_result'; id?: string; tool: string; output: string }
  | { type: 'message'; response: ChatResponse }
  | { type: 'error'; code: string; message: string };

/**
 * Runs a turn, calling `onEvent` as events arrive. Resolves with the final response, or null
 * when the stream ended with an `error` event (already passed to `onEvent`). Errors before the
 * turn starts (400, 409 session_busy, 503 chat_unavailable) reject with ApiError.
 */
export async function streamChat(
  request: Omit<ChatRequest, 'top_k'> & { top_k?: number },
  onEvent: (e: ChatStreamEvent) => void,
  signal?: AbortSignal,
): Promise<ChatResponse | null> {
  let res: Response;
  try {
    res = await fetch(chatStreamUrlOf(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...(await authHeaders()) },
      body: JSON.stringify(request),
      signal,
    });
  } catch (err) {
    if (signal?.aborted) return null;
    throw new ApiError(0, 'network', `Could not reach the server (${err instanceof Error ? err.message : String(err)}).`);
  }
  if (!res.ok || !res.body) {
    const body = await res.json().catch(() => null);
    throw toApiError(res.status, body, `The assistant could not answer (HTTP ${res.status}).`);
  }
  let final: ChatResponse | null = null;
  for await (const e of readSse(res.body, signal)) {
    // biome-ignore lint/suspicious/noExplicitAny: each event's shape is checked by its case below
    let data: any;
    try {
      data = JSON.parse(e.data);
    } catch {
      continue; // not ours
    }
    switch (e.event) {
      case 'session':
        onEvent({ type: 'session', session_id: String(data.session_id) });
        break;
      case 'token':
        onEvent({ type: 'token', text: String(data.text ?? '') });
        break;
      case 'tool_call':
        onEvent({ type: 'tool_call', id: data.id, tool: String(data.tool), input: data.input ?? {} });
        break;
      case 'tool_result':
        onEvent({ type: 'tool_result', id: data.id, tool: String(data.tool), output: String(data.output ?? '') });
        break;
      case 'message':
        final = data as ChatResponse;
        onEvent({ type: 'message', response: final });
        break;
      case 'error':
        onEvent({ type: 'error', code: String(data?.error?.code ?? 'error'), message: String(data?.error?.message ?? 'The turn failed.') });
        return null;
    }
  }
  return final;
}
