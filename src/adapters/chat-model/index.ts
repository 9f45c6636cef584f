import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { ChatConfig } from '../../shared/config.js';

/**
 * The chat model behind search answers and agentic search (DESIGN.md §4, §5): a LangChain
 * `BaseChatModel` with tool calling, or null when none is configured (CHAT_PROVIDER=none, or
 * no key), in which case those features say they are unavailable instead of failing.
 *
 * Adding a provider is: widen CHAT_PROVIDER in config.ts, then add one entry to
 * CHAT_MODEL_BUILDERS and DEFAULT_CHAT_MODELS (the Record types insist on both).
 * Bedrock needs no key (the AWS SDK's default credentials: the Lambda role), Ollama none either.
 *
 * Each builder imports its provider's package when it runs: a process loads only the SDK it is
 * configured with (the API Lambda's init time depends on it, see bench:lambda).
 */

export type ChatProviderName = Exclude<ChatConfig['provider'], 'none'>;

export const DEFAULT_CHAT_MODELS: Record<ChatProviderName, string> = {
  anthropic: 'claude-sonnet-4-5',
  openai: 'gpt-4o',
  // A cross-region inference profile: on-demand Bedrock calls to Claude 4.x need one.
  bedrock: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
  ollama: 'llama3.1',
};

/** Answers are 2–4 sentences and agent turns are tool calls: this leaves ample room. */
export const CHAT_MAX_OUTPUT_TOKENS = 1024;

export interface ChatModelOptions {
  /** SDK-level retries of one HTTP call (default 1: a search request should not wait long). */
  maxRetries?: number;
  maxTokens?: number;
}

interface BuildArgs {
  config: ChatConfig;
  model: string;
  maxRetries: number;
  maxTokens: number;
}

const missingKey = (provider: string, variable: string) =>
  new Error(`chat provider "${provider}" needs ${variable} to be set (or CHAT_PROVIDER=none)`);

const CHAT_MODEL_BUILDERS: Record<ChatProviderName, (args: BuildArgs) => Promise<BaseChatModel>> = {
  anthropic: async ({ config, model, maxRetries, maxTokens }) => {
    if (!config.anthropicApiKey) throw missingKey('anthropic', 'ANTHROPIC_API_KEY');
    const { ChatAnthropic } = await import('@langchain/anthropic');
    return new ChatAnthropic({
      model,
      apiKey: config.anthropicApiKey,
      anthropicApiUrl: config.anthropicBaseUrl,
      maxTokens,
      maxRetries,
      clientOptions: { timeout: config.timeoutMs },
    });
  },
  openai: async ({ config, model, maxRetries, maxTokens }) => {
    if (!config.openaiApiKey) throw missingKey('openai', 'OPENAI_API_KEY');
    const { ChatOpenAI } = await import('@langchain/openai');
    return new ChatOpenAI({
      model,
      apiKey: config.openaiApiKey,
      configuration: config.openaiBaseUrl ? { baseURL: config.openaiBaseUrl } : undefined,
      maxTokens,
      maxRetries,
      timeout: config.timeoutMs,
    });
  },
  bedrock: async ({ config, model, maxTokens }) => {
    const { bedrockConverseModel } = await import('../bedrock/converse-model.js');
    return bedrockConverseModel({
      model,
      region: config.bedrockRegion,
      endpoint: config.bedrockEndpoint,
      maxTokens,
      timeoutMs: config.timeoutMs,
    });
  },
  ollama: async ({ config, model, maxRetries }) => {
    const { ChatOllama } = await import('@langchain/ollama');
    return new ChatOllama({ model, baseUrl: config.ollamaBaseUrl, maxRetries });
  },
};

/** The provider and model the configuration selects, or null for none. */
export function resolveChatModel(config: ChatConfig): { provider: ChatProviderName; model: string } | null {
  if (config.provider === 'none') return null;
  return { provider: config.provider, model: config.model ?? DEFAULT_CHAT_MODELS[config.provider] };
}

/** Throws what createChatModel would for a missing key, without loading any provider package. */
export function checkChatConfig(config: ChatConfig): void {
  const choice = resolveChatModel(config);
  if (choice?.provider === 'anthropic' && !config.anthropicApiKey) throw missingKey('anthropic', 'ANTHROPIC_API_KEY');
  if (choice?.provider === 'openai' && !config.openaiApiKey) throw missingKey('openai', 'OPENAI_API_KEY');
}

/**
 * Builds the configured chat model, or returns null when the provider is `none`. A named
 * provider without its key throws (at start-up, like the vision provider), naming the variable.
 */
export async function createChatModel(config: ChatConfig, options: ChatModelOptions = {}): Promise<BaseChatModel | null> {
  const choice = resolveChatModel(config);
  if (!choice) return null;
  return CHAT_MODEL_BUILDERS[choice.provider]({
    config,
    model: choice.model,
    maxRetries: options.maxRetries ?? 1,
    maxTokens: options.maxTokens ?? CHAT_MAX_OUTPUT_TOKENS,
  });
}
