import type { Config, VisionConfig } from '../../config.js';
import type { VisionProvider } from '../../ports/vision.js';
import { AppError } from '../../domain/errors.js';
import { AnthropicVisionProvider, DEFAULT_ANTHROPIC_VISION_MODEL } from './anthropic.js';
import { LocalVisionProvider, LOCAL_VISION_MODEL } from './local.js';
import { DEFAULT_OPENAI_VISION_MODEL, OpenAIVisionProvider } from './openai.js';

export { AnthropicVisionProvider } from './anthropic.js';
export { LocalVisionProvider } from './local.js';
export { OpenAIVisionProvider } from './openai.js';

export const VISION_PROVIDERS = ['local', 'anthropic', 'openai'] as const;
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
};

const isProviderName = (p: string): p is VisionProviderName =>
  (VISION_PROVIDERS as readonly string[]).includes(p);

/** Which provider and model a request gets: the override, else the configuration, else defaults. */
export function resolveVisionChoice(
  config: VisionConfig,
  override: VisionOverride = {},
): { provider: VisionProviderName; model: string } {
  const provider = override.provider ?? config.provider;
  if (!isProviderName(provider)) {
    throw new Error(
      `unknown vision provider "${provider}"; expected one of ${VISION_PROVIDERS.join(', ')}`,
    );
  }
  // The local provider has exactly one model; VISION_MODEL names a hosted model.
  if (provider === 'local') return { provider, model: LOCAL_VISION_MODEL };
  // VISION_MODEL belongs to the configured provider: never send a Claude name to OpenAI.
  const configuredModel = provider === config.provider ? config.model : undefined;
  return { provider, model: override.model ?? configuredModel ?? DEFAULT_MODELS[provider] };
}

/** A 400 when a request asks for it; at start-up its message stops the server. */
const notConfigured = (message: string) => new AppError(400, 'provider_not_configured', message);

/**
 * Builds the provider named by the configuration or the override. The local provider holds a
 * tesseract worker thread: create it once, reuse it, and close() it on shutdown.
 */
export function createVisionProvider(
  config: VisionConfig,
  tracing: Config['tracing'],
  override?: VisionOverride,
): VisionProvider {
  const { provider, model } = resolveVisionChoice(config, override);
  const hosted = { model, timeoutMs: config.timeoutMs, tracing };
  switch (provider) {
    case 'local':
      return new LocalVisionProvider();
    case 'anthropic':
      if (!config.anthropicApiKey) {
        throw notConfigured('vision provider "anthropic" needs ANTHROPIC_API_KEY to be set');
      }
      return new AnthropicVisionProvider({
        ...hosted,
        apiKey: config.anthropicApiKey,
        baseUrl: config.anthropicBaseUrl,
      });
    case 'openai':
      if (!config.openaiApiKey) {
        throw notConfigured('vision provider "openai" needs OPENAI_API_KEY to be set');
      }
      return new OpenAIVisionProvider({
        ...hosted,
        apiKey: config.openaiApiKey,
        baseUrl: config.openaiBaseUrl,
      });
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
