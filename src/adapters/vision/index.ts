import type { Config, VisionConfig } from '../../shared/config.js';
import type { VisionProvider } from '../../ports/vision.js';
import { AppError, PermanentError } from '../../domain/errors.js';
import { LazyVisionProvider } from './lazy.js';
import {
  DEFAULT_ANTHROPIC_VISION_MODEL,
  DEFAULT_BEDROCK_VISION_MODEL,
  DEFAULT_OPENAI_VISION_MODEL,
  LOCAL_VISION_MODEL,
  LOCAL_VISION_MODELS,
  TESSERACT_VISION_MODEL,
  isLocalVisionModel,
  type LocalVisionModel,
} from './models.js';

export { LazyVisionProvider } from './lazy.js';

export const VISION_PROVIDERS = ['local', 'anthropic', 'openai', 'bedrock'] as const;
export type VisionProviderName = (typeof VISION_PROVIDERS)[number];

/** A per-request choice (re-analysis with another provider or model). */
export interface VisionOverride {
  provider?: string;
  model?: string;
}

const DEFAULT_MODELS: Record<VisionProviderName, string> = {
  local: LOCAL_VISION_MODEL,
  anthropic: DEFAULT_ANTHROPIC_VISION_MODEL,
  openai: DEFAULT_OPENAI_VISION_MODEL,
  bedrock: DEFAULT_BEDROCK_VISION_MODEL,
};

const isProviderName = (p: string): p is VisionProviderName => (VISION_PROVIDERS as readonly string[]).includes(p);

/** Which provider and model a request gets: the override, else the configuration, else defaults. */
export function resolveVisionChoice(config: VisionConfig, override: VisionOverride = {}): { provider: VisionProviderName; model: string } {
  const provider = override.provider ?? config.provider;
  if (!isProviderName(provider)) {
    throw new Error(`unknown vision provider "${provider}"; expected one of ${VISION_PROVIDERS.join(', ')}`);
  }
  // VISION_MODEL belongs to the configured provider: never send a Claude name to OpenAI.
  const configuredModel = provider === config.provider ? config.model : undefined;
  const model = override.model ?? configuredModel ?? DEFAULT_MODELS[provider];
  // The local provider's models are its OCR engines: a name it does not have is a mistake.
  if (provider === 'local' && !isLocalVisionModel(model)) {
    throw new AppError(
      400,
      'unknown_model',
      `the local vision provider has no model "${model}"; expected one of ${LOCAL_VISION_MODELS.join(', ')}`,
    );
  }
  return { provider, model };
}

/** A 400 when a request asks for it; at start-up its message stops the server. */
const notConfigured = (message: string) => new AppError(400, 'provider_not_configured', message);

/**
 * Builds the provider named by the configuration or the override. The local provider holds its
 * OCR models (ONNX sessions or a tesseract worker): create it once, reuse it, close() it on shutdown.
 */
export function createVisionProvider(config: VisionConfig, tracing: Config['tracing'], override?: VisionOverride): LazyVisionProvider {
  const { provider, model } = resolveVisionChoice(config, override);
  const hosted = { model, timeoutMs: config.timeoutMs, tracing };
  // Each provider's module (and its SDK: ONNX Runtime, tesseract.js, LangChain) is imported on
  // first use, so a process that never analyses an image (the API Lambda) never loads them.
  switch (provider) {
    case 'local':
      return new LazyVisionProvider(provider, model, () => loadLocalProvider(model as LocalVisionModel));
    case 'anthropic': {
      const apiKey = config.anthropicApiKey;
      if (!apiKey) throw notConfigured('vision provider "anthropic" needs ANTHROPIC_API_KEY to be set');
      return new LazyVisionProvider(provider, model, async () => {
        const { AnthropicVisionProvider } = await import('./anthropic.js');
        return new AnthropicVisionProvider({ ...hosted, apiKey, baseUrl: config.anthropicBaseUrl });
      });
    }
    case 'openai': {
      const apiKey = config.openaiApiKey;
      if (!apiKey) throw notConfigured('vision provider "openai" needs OPENAI_API_KEY to be set');
      return new LazyVisionProvider(provider, model, async () => {
        const { OpenAIVisionProvider } = await import('./openai.js');
        return new OpenAIVisionProvider({ ...hosted, apiKey, baseUrl: config.openaiBaseUrl });
      });
    }
    case 'bedrock':
      if (!config.bedrockRegion) throw notConfigured('vision provider "bedrock" needs BEDROCK_REGION (or AWS_REGION) to be set');
      return new LazyVisionProvider(provider, model, async () => {
        const { BedrockVisionProvider } = await import('./bedrock.js');
        return new BedrockVisionProvider({ ...hosted, region: config.bedrockRegion, endpoint: config.bedrockEndpoint });
      });
  }
}

async function loadLocalProvider(model: LocalVisionModel): Promise<VisionProvider> {
  try {
    const { LocalVisionProvider } = await import('./local.js');
    if (model === TESSERACT_VISION_MODEL) {
      const { TesseractOcr } = await import('./tesseract-ocr.js');
      return new LocalVisionProvider(new TesseractOcr(), model);
    }
    const { PaddleOcr } = await import('./paddle-ocr.js');
    return new LocalVisionProvider(new PaddleOcr(), model);
  } catch (err) {
    // The AWS functions leave the OCR engines out (infra/lib/bundle.ts LEFT_OUT): say what to set.
    if ((err as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') {
      throw new PermanentError(
        'the offline OCR vision provider is not part of this build (the AWS functions leave ONNX Runtime and tesseract.js out): ' +
          'set VISION_PROVIDER to bedrock, anthropic or openai (a Parameter Store setting on AWS)',
      );
    }
    throw err;
  }
}

/**
 * Providers kept by (provider, model), so per-request overrides reuse one instance (and the local
 * provider one OCR worker) instead of building a new one per call. closeAll() on shutdown.
 */
export class VisionProviders {
  private readonly cache = new Map<string, VisionProvider>();

  constructor(
    private readonly config: VisionConfig,
    private readonly tracing: Config['tracing'],
  ) {}

  get(override?: VisionOverride): VisionProvider {
    const { provider, model } = resolveVisionChoice(this.config, override);
    const key = `${provider}\u0000${model}`;
    let instance = this.cache.get(key);
    if (!instance) {
      instance = createVisionProvider(this.config, this.tracing, { provider, model });
      this.cache.set(key, instance);
    }
    return instance;
  }

  async closeAll(): Promise<void> {
    const all = [...this.cache.values()];
    this.cache.clear();
    await Promise.all(all.map((p) => p.close?.()));
  }
}
