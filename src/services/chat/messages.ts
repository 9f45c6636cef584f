import { AIMessage, ToolMessage, isAIMessage, isHumanMessage, isToolMessage, type BaseMessage } from '@langchain/core/messages';
import type { ChatMessage, ChatToolUse } from '../../contracts/chat.js';

/**
 * Messages as the API shows them. A message's time is kept in its `response_metadata.timestamp`
 * (which no provider sends on): user messages get it when the turn starts, the turn's model and
 * tool messages when it ends (ChatService stamps them in one state update).
 */

export const TIMESTAMP_KEY = 'timestamp';

export const textOf = (m: BaseMessage) => (typeof m.content === 'string' ? m.content : m.text).trim();

export function timestampOf(m: BaseMessage): string | null {
  const t = (m.response_metadata as Record<string, unknown> | undefined)?.[TIMESTAMP_KEY];
  return typeof t === 'string' ? t : null;
}

export function toChatMessage(m: BaseMessage): ChatMessage | null {
  const timestamp = timestampOf(m);
  if (isHumanMessage(m)) return { role: 'user', content: textOf(m), timestamp };
  if (isAIMessage(m)) {
    const calls = (m.tool_calls ?? []).map((c) => ({ ...(c.id ? { id: c.id } : {}), name: c.name, args: c.args }));
    return { role: 'assistant', content: textOf(m), timestamp, ...(calls.length ? { tool_calls: calls } : {}) };
  }
  if (isToolMessage(m))
    return { role: 'tool', content: textOf(m), timestamp, tool_call_id: m.tool_call_id, ...(m.name ? { name: m.name } : {}) };
  return null; // system messages are not part of the conversation shown
}

/** The turn's tool calls paired with what each tool answered, in call order. */
export function toolUses(turn: readonly BaseMessage[]): ChatToolUse[] {
  const answers = new Map<string, string>();
  for (const m of turn) if (isToolMessage(m)) answers.set(m.tool_call_id, textOf(m));
  const uses: ChatToolUse[] = [];
  for (const m of turn) {
    if (!isAIMessage(m)) continue;
    for (const call of m.tool_calls ?? []) {
      uses.push({ tool: call.name, input: call.args, output: (call.id && answers.get(call.id)) ?? '(no answer: the turn stopped first)' });
    }
  }
  return uses;
}

/**
 * Tool calls that never got an answer (a turn stopped by a timeout between the model's call and
 * the tool's reply). Providers reject a conversation with such a call, so the next turn first
 * answers each one as interrupted.
 */
export function answersForDanglingCalls(history: readonly BaseMessage[], timestamp: string): ToolMessage[] {
  const answered = new Set(history.filter(isToolMessage).map((m) => m.tool_call_id));
  const out: ToolMessage[] = [];
  for (const m of history) {
    if (!isAIMessage(m)) continue;
    for (const call of m.tool_calls ?? []) {
      if (call.id && !answered.has(call.id)) {
        out.push(
          new ToolMessage({
            tool_call_id: call.id,
            name: call.name,
            content: 'This tool call was interrupted before it answered.',
            response_metadata: { [TIMESTAMP_KEY]: timestamp },
          }),
        );
      }
    }
  }
  return out;
}

/** A copy of the message (same id, so the messages reducer replaces it) carrying its time. */
export function stamped(m: BaseMessage, timestamp: string): BaseMessage | null {
  if (timestampOf(m) || !m.id) return null;
  const response_metadata = { ...(m.response_metadata ?? {}), [TIMESTAMP_KEY]: timestamp };
  if (isAIMessage(m)) {
    return new AIMessage({
      id: m.id,
      content: m.content,
      tool_calls: m.tool_calls,
      invalid_tool_calls: m.invalid_tool_calls,
      usage_metadata: m.usage_metadata,
      additional_kwargs: m.additional_kwargs,
      name: m.name,
      response_metadata,
    });
  }
  if (isToolMessage(m)) {
    return new ToolMessage({
      id: m.id,
      content: m.content,
      tool_call_id: m.tool_call_id,
      name: m.name,
      status: m.status,
      response_metadata,
    });
  }
  return null;
}
