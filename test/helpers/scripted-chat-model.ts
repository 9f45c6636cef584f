import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import type { BaseLanguageModelInput } from '@langchain/core/language_models/base';
import { BaseChatModel, type BaseChatModelCallOptions, type BindToolsInput } from '@langchain/core/language_models/chat_models';
import { AIMessage, type AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import type { Runnable } from '@langchain/core/runnables';
import {
  canonicalSearchType,
  matchVerdict,
  type SearchRequestInput,
  type SearchResponse,
  type SearchResult,
  type Searcher,
} from '../../src/contracts/search.js';

/**
 * A chat model that replies from a script, for tests: tool calls, then text, or an error. It
 * supports `bindTools` (so LangGraph's createReactAgent accepts it), records every call with
 * the messages it got and the tools bound, and never touches the network.
 */

export interface ScriptedToolCall {
  name: string;
  args: Record<string, unknown>;
  id?: string;
}

export type ScriptedTurn =
  /** An assistant turn that calls tools (optionally with some text). */
  | { toolCalls: ScriptedToolCall[]; text?: string }
  /** A final text reply. */
  | { text: string }
  /** The call fails with this error. */
  | { error: string | Error }
  /** The call never answers until the caller aborts it (timeouts). */
  | { hang: true }
  /** Decide from the messages received. */
  | ((messages: BaseMessage[]) => ScriptedTurn);

export interface ScriptedCall {
  messages: BaseMessage[];
  /** Names of the tools bound for this call. */
  tools: string[];
}

interface ScriptedCallOptions extends BaseChatModelCallOptions {
  tools?: BindToolsInput[];
}

const toolName = (t: BindToolsInput): string => {
  const any = t as { name?: string; function?: { name?: string } };
  return any.name ?? any.function?.name ?? '(unnamed)';
};

export class ScriptedChatModel extends BaseChatModel<ScriptedCallOptions> {
  static override lc_name() {
    return 'ScriptedChatModel';
  }

  private script: ScriptedTurn[];
  readonly calls: ScriptedCall[] = [];
  private nextId = 1;

  constructor(...turns: ScriptedTurn[]) {
    super({});
    this.script = [...turns];
  }

  /** Replaces the script and forgets earlier calls. */
  reply(...turns: ScriptedTurn[]): this {
    this.script = [...turns];
    this.calls.length = 0;
    return this;
  }

  /** Turns not yet used. */
  get remaining(): number {
    return this.script.length;
  }

  _llmType(): string {
    return 'scripted';
  }

  override bindTools(
    tools: BindToolsInput[],
    kwargs?: Partial<ScriptedCallOptions>,
  ): Runnable<BaseLanguageModelInput, AIMessageChunk, ScriptedCallOptions> {
    return this.withConfig({ ...kwargs, tools } as Partial<ScriptedCallOptions>);
  }

  async _generate(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    _runManager?: CallbackManagerForLLMRun,
  ): Promise<ChatResult> {
    this.calls.push({ messages: [...messages], tools: (options.tools ?? []).map(toolName) });
    let turn = this.script.shift();
    if (!turn) throw new Error(`ScriptedChatModel: script exhausted at call ${this.calls.length}`);
    while (typeof turn === 'function') turn = turn(messages);

    if ('error' in turn) throw typeof turn.error === 'string' ? new Error(turn.error) : turn.error;
    if ('hang' in turn) {
      const signal = options.signal;
      await new Promise<never>((_, reject) => {
        const abort = () => reject(signal?.reason ?? new Error('aborted'));
        if (signal?.aborted) abort();
        signal?.addEventListener('abort', abort, { once: true });
      });
    }
    const text = 'text' in turn ? (turn.text ?? '') : '';
    const toolCalls = 'toolCalls' in turn ? turn.toolCalls : [];
    const message = new AIMessage({
      content: text,
      tool_calls: toolCalls.map((c) => ({
        name: c.name,
        args: c.args,
        id: c.id ?? `call_${this.nextId++}`,
        type: 'tool_call' as const,
      })),
    });
    return { generations: [{ text, message }] };
  }
}

// ---- A Searcher double for tests of answers, the retriever and the agent without a database ----

/** A result as SearchService shapes it. */
export function fakeResult(rank: number, itemId: string, headline: string, extra: Partial<SearchResult> = {}): SearchResult {
  return {
    item_id: itemId,
    rank,
    score: Math.round((1 - rank / 100) * 1e4) / 1e4,
    score_type: 'relevance',
    match: 'strong',
    category: 'Food',
    headline,
    summary: `Summary of ${headline}.`,
    thumbnail_url: `/items/${itemId}/thumbnail`,
    image_url: `/items/${itemId}/image`,
    metadata: { original_filename: `${itemId}.png`, created_at: '2026-01-01T00:00:00.000Z', likely_source: 'TikTok' },
    ...extra,
  };
}

/** A Searcher that answers from a fixed list and records what it was asked (no database). */
export class FakeSearcher implements Searcher {
  readonly calls: { userId: string; request: SearchRequestInput }[] = [];
  constructor(public results: SearchResult[] = []) {}

  async search(userId: string, request: SearchRequestInput): Promise<SearchResponse> {
    this.calls.push({ userId, request });
    const type = canonicalSearchType(request.search_type);
    const results = this.results.slice(0, request.top_k ?? 10);
    const notices = [...(type === 'agentic' ? ['agentic_unavailable'] : []), ...(request.include_answer ? ['answer_unavailable'] : [])];
    return {
      query: request.query,
      search_type: type,
      match: matchVerdict(results),
      results,
      total_results: results.length,
      retrieval_time_ms: 1,
      ...(notices.length ? { notices } : {}),
    };
  }
}
