export { ChatSearcher, withChatModel, DEFAULT_ANSWER_TIMEOUT_MS, type ChatSearcherOptions } from './chat-searcher.js';
export {
  runSearchAgent,
  agentSystemPrompt,
  DEFAULT_AGENT_TIMEOUT_MS,
  DEFAULT_MAX_TOOL_CALLS,
  type SearchAgentOptions,
  type SearchAgentOutcome,
} from './search-agent.js';
export {
  createSearchCollectionTool,
  FoundItems,
  SearchCollectionArgs,
  SEARCH_TOOL_NAME,
  type SearchToolOptions,
  type ToolUse,
} from './search-tool.js';
