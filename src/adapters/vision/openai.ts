import { DEFAULT_OPENAI_VISION_MODEL } from './models.js';
import { ChatOpenAI } from '@langchain/openai';
import { ChatModelVisionProvider, VISION_MAX_OUTPUT_TOKENS, type HostedVisionOptions } from './model-vision.js';

/** OpenAI chat completions (or any server that speaks them, via baseUrl). */
export class OpenAIVisionProvider extends ChatModelVisionProvider {
  constructor(options: HostedVisionOptions) {
    const model = options.model ?? DEFAULT_OPENAI_VISION_MODEL;
    const chat = new ChatOpenAI({
      model,
      apiKey: options.apiKey,
      configuration: options.baseUrl ? { baseURL: options.baseUrl } : undefined,
      maxTokens: VISION_MAX_OUTPUT_TOKENS,
      maxRetries: options.maxRetries ?? 1,
      timeout: options.timeoutMs,
    });
    super('openai', model, chat, options);
  }
}
