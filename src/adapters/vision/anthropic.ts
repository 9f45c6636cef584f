import { ChatAnthropic } from '@langchain/anthropic';
import type { VisionInput, VisionProvider, VisionResult } from '../../ports/vision.js';
import {
  VISION_MAX_OUTPUT_TOKENS,
  analyzeWithModel,
  type HostedVisionOptions,
} from './model-vision.js';

export const DEFAULT_ANTHROPIC_VISION_MODEL = 'claude-sonnet-4-5';

export class AnthropicVisionProvider implements VisionProvider {
  readonly provider = 'anthropic';
  readonly model: string;
  private readonly chat: ChatAnthropic;

  constructor(private readonly options: HostedVisionOptions) {
    this.model = options.model ?? DEFAULT_ANTHROPIC_VISION_MODEL;
    this.chat = new ChatAnthropic({
      model: this.model,
      apiKey: options.apiKey,
      anthropicApiUrl: options.baseUrl,
      maxTokens: VISION_MAX_OUTPUT_TOKENS,
      maxRetries: options.maxRetries ?? 1,
      clientOptions: { timeout: options.timeoutMs },
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
