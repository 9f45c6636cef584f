import { randomUUID } from 'node:crypto';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage, isAIMessage, isHumanMessage, type BaseMessage } from '@langchain/core/messages';
import type { StructuredToolInterface } from '@langchain/core/tools';
import { createReactAgent } from '@langchain/langgraph/prebuilt';
import type { ChatSessionsConfig } from '../../shared/config.js';
import { AppError, errorMessage, notFound } from '../../domain/errors.js';
import { log } from '../../shared/logger.js';
import { threadId, type ChatSession, type ChatStore } from '../../ports/chat-store.js';
import type { Database } from '../../ports/database.js';
import { FoundItems, createSearchCollectionTool, type ToolUse } from '../search/agent/index.js';
import { CollectionsRetriever } from '../search/retriever.js';
import type { Searcher } from '../../contracts/search.js';
import { answersForDanglingCalls, stamped, textOf, toChatMessage, toolUses, TIMESTAMP_KEY } from './messages.js';
import { chatSystemPrompt } from './prompt.js';
import { ChatRequestSchema, type ChatMessage, type ChatRequestInput, type ChatResponse } from '../../contracts/chat.js';
import { createGetItemTool } from './tools/get-item.js';
import { createWebSearchTool } from './tools/search-web.js';

/** What a streamed turn reports as it goes (POST /chat/stream sends each as one SSE event). */
export type ChatEvent =
  | { type: 'session'; session_id: string }
  | { type: 'token'; text: string }
  | { type: 'tool_call'; id?: string; tool: string; input: Record<string, unknown> }
  | { type: 'tool_result'; id?: string; tool: string; output: string }
  | { type: 'message'; response: ChatResponse };

export interface ChatServiceDeps {
  db: Database;
  searcher: Searcher;
  store: ChatStore;
  /** null: chat answers 503 naming the settings to set. */
  chatModel: BaseChatModel | null;
  config: ChatSessionsConfig & { providerTimeoutMs?: number };
  now?: () => Date;
}

export const CHAT_UNAVAILABLE =
  'Chat needs a chat model. Set CHAT_PROVIDER to anthropic (with ANTHROPIC_API_KEY), openai (with OPENAI_API_KEY), ' +
  'bedrock (AWS credentials; BEDROCK_REGION) or ollama (OLLAMA_BASE_URL), and optionally CHAT_MODEL.';

const TITLE_CHARS = 80;
const titleOf = (message: string) => {
  const line = message.replace(/\s+/g, ' ').trim();
  return line.length > TITLE_CHARS ? `${line.slice(0, TITLE_CHARS - 1)}…` : line;
};

/**
 * Chat with one's collection (DESIGN.md §5): a LangGraph ReAct agent per turn, whose tools are
 * bound to the caller (so nothing a model writes reaches another user's items), resuming the
 * thread `{userId}#{sessionId}` from the store's checkpointer. One turn per session at a time.
 */
export class ChatService {
  private readonly now: () => Date;

  constructor(private readonly deps: ChatServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  get available(): boolean {
    return this.deps.chatModel !== null;
  }

  get webSearchAvailable(): boolean {
    return !!this.deps.config.tavilyApiKey;
  }

  /** One turn; `onEvent` receives tokens and tool activity as they happen (streaming). */
  async turn(userId: string, input: ChatRequestInput, onEvent: (e: ChatEvent) => void = () => {}): Promise<ChatResponse> {
    const model = this.deps.chatModel;
    if (!model) throw new AppError(503, 'chat_unavailable', CHAT_UNAVAILABLE);
    const request = ChatRequestSchema.parse(input);
    const sessionId = request.session_id ?? randomUUID();
    const { turnTimeoutMs, maxToolCalls } = this.deps.config;

    // The hold outlives the turn's own deadline, so it is only ever lapsed by a dead process.
    const lock = await this.deps.store.acquireTurn(userId, sessionId, turnTimeoutMs + 30_000);
    if (!lock) throw new AppError(409, 'session_busy', `Session ${sessionId} is answering another message; send this one when it is done.`);
    const started = performance.now();
    try {
      onEvent({ type: 'session', session_id: sessionId });
      const found = new FoundItems();
      const used: ToolUse[] = [];
      const agent = createReactAgent({
        llm: model,
        tools: this.tools(userId, request, found, used),
        prompt: chatSystemPrompt({ webSearch: this.webSearchAvailable, today: this.now().toISOString().slice(0, 10) }),
        checkpointSaver: this.deps.store.saver,
        name: 'collections_chat',
      });
      const config = { configurable: { thread_id: threadId(userId, sessionId) } };
      const prior = ((await agent.getState(config)).values as { messages?: BaseMessage[] }).messages ?? [];
      const startedAt = this.now().toISOString();
      const input = [
        ...answersForDanglingCalls(prior, startedAt),
        new HumanMessage({ content: request.message, response_metadata: { [TIMESTAMP_KEY]: startedAt } }),
      ];

      const deadline = AbortSignal.timeout(turnTimeoutMs);
      try {
        const stream = await agent.stream(
          { messages: input },
          { ...config, streamMode: ['messages', 'updates'] as const, recursionLimit: 2 * maxToolCalls + 4, signal: deadline },
        );
        for await (const [mode, chunk] of stream) this.report(mode, chunk, onEvent);
      } catch (err) {
        await this.recordTurn(userId, sessionId, request.message, agent, config).catch(() => undefined);
        throw this.turnError(err, deadline, sessionId);
      }

      const messages = ((await agent.getState(config)).values as { messages: BaseMessage[] }).messages;
      const turn = messages.slice(prior.length);
      const finishedAt = this.now().toISOString();
      // One state update stamps the turn's model and tool messages with the time (history).
      const updates = turn.map((m) => stamped(m, finishedAt)).filter((m): m is BaseMessage => m !== null);
      if (updates.length) await agent.updateState(config, { messages: updates });
      await this.deps.store.recordTurn(userId, sessionId, { title: titleOf(request.message), messageCount: messages.length });

      const last = turn.at(-1);
      const response: ChatResponse = {
        session_id: sessionId,
        message: { role: 'assistant', content: last ? textOf(last) : '', timestamp: finishedAt },
        conversation_turn: messages.filter(isHumanMessage).length,
        search_results: found.ranked(20).map((r) => ({
          item_id: r.item_id,
          rank: r.rank,
          score: r.score,
          category: r.category,
          headline: r.headline,
          summary: r.summary,
          thumbnail_url: r.thumbnail_url,
          image_url: r.image_url,
        })),
        tools_used: toolUses(turn),
        response_time_ms: Math.round(performance.now() - started),
      };
      onEvent({ type: 'message', response });
      return response;
    } finally {
      await lock.release().catch((err) => log.warn('chat lock release failed', { error: errorMessage(err) }));
    }
  }

  async sessions(userId: string): Promise<ChatSession[]> {
    return this.deps.store.listSessions(userId);
  }

  async history(userId: string, sessionId: string): Promise<{ session: ChatSession; messages: ChatMessage[] }> {
    const session = await this.deps.store.getSession(userId, sessionId);
    if (!session) throw notFound(`Chat session ${sessionId}`);
    const tuple = await this.deps.store.saver.getTuple({ configurable: { thread_id: threadId(userId, sessionId), checkpoint_ns: '' } });
    const messages = ((tuple?.checkpoint.channel_values as { messages?: BaseMessage[] } | undefined)?.messages ?? [])
      .map(toChatMessage)
      .filter((m): m is ChatMessage => m !== null);
    return { session, messages };
  }

  async delete(userId: string, sessionId: string): Promise<void> {
    if (!(await this.deps.store.deleteSession(userId, sessionId))) throw notFound(`Chat session ${sessionId}`);
  }

  /** The caller's tools: collection search and item lookup always, the web with a Tavily key. */
  private tools(userId: string, request: { top_k: number; category_filter?: string }, found: FoundItems, used: ToolUse[]) {
    const retriever = new CollectionsRetriever({ searcher: this.deps.searcher, userId });
    const tools: StructuredToolInterface[] = [
      createSearchCollectionTool(retriever, {
        maxCalls: this.deps.config.maxToolCalls,
        fixedCategory: request.category_filter,
        defaultTopK: request.top_k,
        found,
        used,
      }),
      createGetItemTool(this.deps.db, userId),
    ];
    const { tavilyApiKey, tavilyBaseUrl } = this.deps.config;
    if (tavilyApiKey) {
      tools.push(
        createWebSearchTool({ apiKey: tavilyApiKey, baseUrl: tavilyBaseUrl, timeoutMs: this.deps.config.providerTimeoutMs ?? 30_000 }),
      );
    }
    return tools;
  }

  /** Streamed chunks → events: model tokens, then each tool call and what it answered. */
  private report(mode: string, chunk: unknown, onEvent: (e: ChatEvent) => void) {
    if (mode === 'messages') {
      const [message, meta] = chunk as [BaseMessage, { langgraph_node?: string }];
      if (meta?.langgraph_node === 'agent' && isAIMessage(message)) {
        const text = typeof message.content === 'string' ? message.content : message.text;
        if (text) onEvent({ type: 'token', text });
      }
      return;
    }
    for (const [node, update] of Object.entries((chunk ?? {}) as Record<string, { messages?: BaseMessage[] } | undefined>)) {
      for (const m of update?.messages ?? []) {
        const shown = toChatMessage(m);
        if (node === 'agent' && shown?.tool_calls) {
          for (const c of shown.tool_calls) onEvent({ type: 'tool_call', id: c.id, tool: c.name, input: c.args });
        } else if (node === 'tools' && shown?.role === 'tool') {
          onEvent({ type: 'tool_result', id: shown.tool_call_id, tool: shown.name ?? 'tool', output: shown.content });
        }
      }
    }
  }

  /** After a failed turn the session is kept (the user's message is in it) and listed. */
  private async recordTurn(
    userId: string,
    sessionId: string,
    message: string,
    agent: { getState: (c: object) => Promise<{ values: unknown }> },
    config: object,
  ) {
    const messages = ((await agent.getState(config)).values as { messages?: BaseMessage[] }).messages ?? [];
    if (messages.length) await this.deps.store.recordTurn(userId, sessionId, { title: titleOf(message), messageCount: messages.length });
  }

  private turnError(err: unknown, deadline: AbortSignal, sessionId: string): AppError {
    const name = (err as { name?: string } | null)?.name;
    if (deadline.aborted || name === 'AbortError' || name === 'TimeoutError') {
      const { turnTimeoutMs, timeoutHint } = this.deps.config;
      const limit = `The turn took longer than its ${Math.round(turnTimeoutMs / 100) / 10} s limit and was stopped`;
      return new AppError(
        504,
        'chat_timeout',
        `${limit}${timeoutHint ? ` (${timeoutHint})` : ''}. Session ${sessionId} is kept: send the message again.`,
      );
    }
    if (name === 'GraphRecursionError') {
      return new AppError(
        502,
        'chat_incomplete',
        `The assistant used its ${this.deps.config.maxToolCalls} tool calls without finishing. Session ${sessionId} is kept.`,
      );
    }
    log.warn('chat turn failed', { error: errorMessage(err) });
    return new AppError(
      502,
      'chat_model_failed',
      `The chat model failed: ${errorMessage(err).slice(0, 300)}. Session ${sessionId} is kept.`,
    );
  }
}
