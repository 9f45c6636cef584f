import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { errorMessage } from '../../../domain/errors.js';
import { log as defaultLog, type Logger } from '../../../shared/logger.js';
import { generateAnswer } from '../answer.js';
import { CollectionsRetriever } from '../retriever.js';
import {
  matchVerdict,
  SearchRequestSchema,
  type SearchRequest,
  type SearchRequestInput,
  type SearchResponse,
  type Searcher,
} from '../../../contracts/search.js';
import { DEFAULT_AGENT_TIMEOUT_MS, DEFAULT_MAX_TOOL_CALLS, runSearchAgent } from './search-agent.js';

/**
 * The search behind `POST /search`: the plain Searcher (bm25/vector/hybrid) plus what a chat
 * model adds, answers (`include_answer`) and agentic search. Without a chat model it is the
 * plain Searcher unchanged (which answers agentic as hybrid with `agentic_unavailable`, and
 * adds `answer_unavailable`). With one, a failing model never fails the search: the results
 * come back with a notice (`answer_failed`, `agentic_failed`, `agentic_incomplete`).
 */

export const DEFAULT_ANSWER_TIMEOUT_MS = 30_000;

export interface ChatSearcherOptions {
  /** Searches one agent run may make (default 6). */
  maxToolCalls?: number;
  /** Wall-time limit of one agent run (default 60 s). */
  agentTimeoutMs?: number;
  /** Wall-time limit of one answer (default 30 s). */
  answerTimeoutMs?: number;
  logger?: Logger;
}

/** Notices the plain Searcher adds when it has no chat model; wrong once one exists. */
const UNAVAILABLE = new Set(['answer_unavailable', 'agentic_unavailable']);

function withNotices(response: SearchResponse, add: string[]): SearchResponse {
  const { notices: old, ...rest } = response;
  const notices = [...(old ?? []).filter((n) => !UNAVAILABLE.has(n)), ...add];
  return notices.length ? { ...rest, notices: [...new Set(notices)] } : rest;
}

const ms = (since: number) => Math.round((performance.now() - since) * 100) / 100;

export class ChatSearcher implements Searcher {
  private readonly log: Logger;

  constructor(
    readonly base: Searcher,
    readonly chatModel: BaseChatModel | null,
    private readonly options: ChatSearcherOptions = {},
  ) {
    this.log = options.logger ?? defaultLog;
  }

  get answerAvailable(): boolean {
    return this.chatModel !== null;
  }

  get agenticAvailable(): boolean {
    return this.chatModel !== null;
  }

  async search(userId: string, input: SearchRequestInput): Promise<SearchResponse> {
    const model = this.chatModel;
    if (!model) return this.base.search(userId, input);
    const request = SearchRequestSchema.parse(input);
    const response =
      request.search_type === 'agentic'
        ? await this.agentic(model, userId, request)
        : withNotices(await this.base.search(userId, { ...request, include_answer: false }), []);
    return request.include_answer ? this.withAnswer(model, request.query, response) : response;
  }

  private async agentic(model: BaseChatModel, userId: string, request: SearchRequest): Promise<SearchResponse> {
    const started = performance.now();
    const retriever = new CollectionsRetriever({
      searcher: this.base,
      userId,
      searchType: 'hybrid',
      topK: request.top_k,
      categoryFilter: request.category_filter || undefined,
      minSimilarityScore: request.min_similarity_score,
      // The agent's searches take the caller's bar: `strong` keeps closest-only items out.
      minMatch: request.min_match,
    });
    const outcome = await runSearchAgent(model, retriever, request.query, {
      maxToolCalls: this.options.maxToolCalls ?? DEFAULT_MAX_TOOL_CALLS,
      timeoutMs: this.options.agentTimeoutMs ?? DEFAULT_AGENT_TIMEOUT_MS,
      categoryFilter: request.category_filter || undefined,
      topK: request.top_k,
    });
    if (outcome.error !== undefined) {
      this.log.warn('agentic search stopped early', {
        error: errorMessage(outcome.error),
        searches: outcome.tools_used.length,
      });
    }
    // An agent that never searched (it failed first, or answered without looking) still gives
    // the caller what hybrid search finds for the question.
    const results = outcome.tools_used.length === 0 ? (await retriever.search(request.query)).results : outcome.results;
    const response: SearchResponse = {
      query: request.query,
      search_type: 'agentic',
      match: matchVerdict(results),
      results,
      total_results: results.length,
      retrieval_time_ms: ms(started),
      agent_reasoning: outcome.agent_reasoning,
      tools_used: outcome.tools_used,
    };
    return withNotices(response, outcome.notices);
  }

  private async withAnswer(model: BaseChatModel, query: string, response: SearchResponse): Promise<SearchResponse> {
    try {
      // An answer stands on confident matches only: the closest-but-weak items are no evidence.
      const evidence = response.results.filter((r) => r.match === 'strong');
      const answer = await generateAnswer(model, query, evidence, {
        timeoutMs: this.options.answerTimeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS,
      });
      return { ...response, ...answer };
    } catch (err) {
      this.log.warn('search answer failed', { error: errorMessage(err) });
      return withNotices(response, ['answer_failed']);
    }
  }
}

/** The Searcher `POST /search` uses: `base` plus answers and agentic search when a model exists. */
export function withChatModel(base: Searcher, chatModel: BaseChatModel | null, options?: ChatSearcherOptions): ChatSearcher {
  return new ChatSearcher(base, chatModel, options);
}
