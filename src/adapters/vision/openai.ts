import { ChatOpenAI } from '@langchain/openai';
import type { VisionInput, VisionProvider, VisionResult } from '../../ports/vision.js';
import {
  VISION_MAX_OUTPUT_TOKENS,
  analyzeWithModel,
  type HostedVisionOptions,
} from './model-vision.js';

export const DEFAULT_OPENAI_VISION_MODEL = 'gpt-4o';

/** OpenAI chat completions (or any server that speaks them, via baseUrl). */
export class OpenAIVisionProvider implements VisionProvider {
  readonly provider = 'openai';
  readonly model: string;
  private readonly chat: ChatOpenAI;

  constructor(private readonly options: HostedVisionOptions) {
    this.model = options.model ?? DEFAULT_OPENAI_VISION_MODEL;
    this.chat = new ChatOpenAI({
      model: this.model,
      apiKey: options.apiKey,
      configuration: options.baseUrl ? { baseURL: options.baseUrl } : undefined,
      maxTokens: VISION_MAX_OUTPUT_TOKENS,
      maxRetries: options.maxRetries ?? 1,
      timeout: options.timeoutMs,
    });
  }

  analyze(input: VisionInput): Promise<VisionResult> {
    return analyzeWithModel(
      {
        provider: this.provider,
        model: this.model,
        chatModel: this.chat,
        tracing: this.options.tracing,
        maxAttempts: this.options.maxAttempts,
      },
      input,
    );
  }
}
