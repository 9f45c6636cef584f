import { DEFAULT_ANTHROPIC_VISION_MODEL } from './models.js';
import { ChatAnthropic } from '@langchain/anthropic';
import { ChatModelVisionProvider, VISION_MAX_OUTPUT_TOKENS, type HostedVisionOptions } from './model-vision.js';

export class AnthropicVisionProvider extends ChatModelVisionProvider {
  constructor(options: HostedVisionOptions) {
    const model = options.model ?? DEFAULT_ANTHROPIC_VISION_MODEL;
    const chat = new ChatAnthropic({
      model,
      apiKey: options.apiKey,
      anthropicApiUrl: options.baseUrl,
      maxTokens: VISION_MAX_OUTPUT_TOKENS,
      maxRetries: options.maxRetries ?? 1,
      clientOptions: { timeout: options.timeoutMs },
    });
    super('anthropic', model, chat, options);
  }
}
