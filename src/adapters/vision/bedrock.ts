import { bedrockConverseModel } from '../bedrock/converse-model.js';
import { ChatModelVisionProvider, VISION_MAX_OUTPUT_TOKENS, type HostedVisionOptions } from './model-vision.js';
import { DEFAULT_BEDROCK_VISION_MODEL } from './models.js';

/**
 * Claude (or another image-reading model) through Bedrock Converse: the vision provider of an AWS
 * deployment that keeps no API key (VISION_PROVIDER=bedrock).
 */
export class BedrockVisionProvider extends ChatModelVisionProvider {
  constructor(options: Omit<HostedVisionOptions, 'apiKey' | 'baseUrl'> & { region: string | undefined; endpoint?: string }) {
    const model = options.model ?? DEFAULT_BEDROCK_VISION_MODEL;
    const chat = bedrockConverseModel({
      model,
      region: options.region,
      endpoint: options.endpoint,
      maxTokens: VISION_MAX_OUTPUT_TOKENS,
      timeoutMs: options.timeoutMs,
    });
    super('bedrock', model, chat, options);
  }
}
