import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage, isAIMessage, type BaseMessage } from '@langchain/core/messages';
import { createReactAgent } from '@langchain/langgraph/prebuilt';
import { messageText } from '../answer.js';
import type { CollectionsRetriever } from '../retriever.js';
import type { SearchResult } from '../../../contracts/search.js';
import { FoundItems, SEARCH_TOOL_NAME, createSearchCollectionTool, type ToolUse } from './search-tool.js';

/**
 * Agentic search (DESIGN.md §4): a LangGraph.js ReAct agent that may call `search_collection`
 * several times (one search per part of a multi-part question), bounded in tool calls, graph
 * steps and wall time. The response's results are every item its searches found, once each.
 */

export const DEFAULT_MAX_TOOL_CALLS = 6;
export const DEFAULT_AGENT_TIMEOUT_MS = 60_000;

export const agentSystemPrompt = (maxToolCalls: number) =>
  `You find things in a person's own collection of saved screenshots and photos.
Use the ${SEARCH_TOOL_NAME} tool to look things up; never answer from memory.
A question with several parts needs one search per part, each with a few keywords (e.g. "ramen Fukuoka", then "onsen").
You may search at most ${maxToolCalls} times. If a search finds nothing useful, try other words once, then move on.
When you are done, reply in 1 to 3 sentences: which items answer each part of the question (by headline), or that the collection holds nothing for it.`;

export interface SearchAgentOptions {
  maxToolCalls?: number;
  timeoutMs?: number;
  /** The request's category filter: every search keeps it. */
  categoryFilter?: string;
  /** The most results returned (the request's top_k). */
  topK: number;
}

export interface SearchAgentOutcome {
  /** The union of what the searches found: best score first, ranks 1..n. */
  results: SearchResult[];
  agent_reasoning: string;
  tools_used: ToolUse[];
  /** `agentic_incomplete` (step or time limit) or `agentic_failed` (the model failed). */
  notices: string[];
  /** The agent's error, when it stopped on one. */
  error?: unknown;
}

const isLimitError = (err: unknown) => {
  const name = (err as { name?: string } | null)?.name;
  return name === 'GraphRecursionError' || name === 'AbortError' || name === 'TimeoutError';
};

function finalText(messages: readonly BaseMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (isAIMessage(m) && !m.tool_calls?.length) {
      const text = messageText(m);
      if (text) return text;
    }
  }
  return '';
}

function searchesSummary(used: readonly ToolUse[]): string {
  if (used.length === 0) return 'The agent did not search.';
  const queries = used.map((u) => JSON.stringify(u.input.query)).join(', ');
  return `Searched ${used.length} time${used.length === 1 ? '' : 's'}: ${queries}.`;
}

export async function runSearchAgent(
  chatModel: BaseChatModel,
  retriever: CollectionsRetriever,
  question: string,
  options: SearchAgentOptions,
): Promise<SearchAgentOutcome> {
  const maxToolCalls = Math.max(1, options.maxToolCalls ?? DEFAULT_MAX_TOOL_CALLS);
  const found = new FoundItems();
  const used: ToolUse[] = [];
  const searchTool = createSearchCollectionTool(retriever, {
    maxCalls: maxToolCalls,
    fixedCategory: options.categoryFilter,
    defaultTopK: Math.min(options.topK, 10),
    found,
    used,
  });
  // A fresh graph per request: the tool closes over this caller's retriever (and user id).
  const agent = createReactAgent({
    llm: chatModel,
    tools: [searchTool],
    prompt: agentSystemPrompt(maxToolCalls),
    name: 'collections_search_agent',
  });

  const notices: string[] = [];
  let reasoning = '';
  let error: unknown;
  const deadline = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_AGENT_TIMEOUT_MS);
  try {
    const state = await agent.invoke(
      { messages: [new HumanMessage(question)] },
      {
        // agent turn + tools turn per search, the final turn, one spare.
        recursionLimit: 2 * maxToolCalls + 2,
        signal: deadline,
        runName: 'agentic-search',
      },
    );
    reasoning = finalText(state.messages);
  } catch (err) {
    error = err;
    // A provider SDK may report the abort as its own error: the deadline says what happened.
    notices.push(deadline.aborted || isLimitError(err) ? 'agentic_incomplete' : 'agentic_failed');
  }
  return {
    results: found.ranked(options.topK),
    agent_reasoning: reasoning || searchesSummary(used),
    tools_used: used,
    notices,
    ...(error !== undefined ? { error } : {}),
  };
}
