import { describe, expect, it } from 'vitest';
import type { VisionConfig } from '../../src/shared/config.js';
import { AnthropicVisionProvider } from '../../src/adapters/vision/anthropic.js';
import { LocalVisionProvider } from '../../src/adapters/vision/local.js';
import { OpenAIVisionProvider } from '../../src/adapters/vision/openai.js';
import { VisionProviders, createVisionProvider, resolveVisionChoice } from '../../src/adapters/vision/index.js';

const base: VisionConfig = {
  provider: 'local',
  model: undefined,
  anthropicApiKey: undefined,
  anthropicBaseUrl: undefined,
  openaiApiKey: undefined,
  openaiBaseUrl: undefined,
  bedrockRegion: undefined,
  bedrockEndpoint: undefined,
  timeoutMs: 120_000,
};
const tracing = { enabled: false, project: undefined };

describe('createVisionProvider', () => {
  it('builds the configured provider with its default model', async () => {
    const local = createVisionProvider(base, tracing);
    expect(await local.resolve()).toBeInstanceOf(LocalVisionProvider);
    expect([local.provider, local.model]).toEqual(['local', 'ppocr-v4-rules-v1']);
    await local.close?.(); // never started a worker: closing is a no-op

    const anthropic = createVisionProvider({ ...base, provider: 'anthropic', anthropicApiKey: 'k' }, tracing);
    expect(await anthropic.resolve()).toBeInstanceOf(AnthropicVisionProvider);
    expect(anthropic.model).toBe('claude-sonnet-4-5');

    const openai = createVisionProvider({ ...base, provider: 'openai', openaiApiKey: 'k' }, tracing);
    expect(await openai.resolve()).toBeInstanceOf(OpenAIVisionProvider);
    expect(openai.model).toBe('gpt-4o');
  });

  it('uses VISION_MODEL for the configured provider', () => {
    const p = createVisionProvider({ ...base, provider: 'anthropic', model: 'claude-opus-4-1', anthropicApiKey: 'k' }, tracing);
    expect(p.model).toBe('claude-opus-4-1');
  });

  it('says which key is missing', () => {
    expect(() => createVisionProvider({ ...base, provider: 'anthropic' }, tracing)).toThrow(/ANTHROPIC_API_KEY/);
    expect(() => createVisionProvider(base, tracing, { provider: 'openai' })).toThrow(/OPENAI_API_KEY/);
  });

  it('lets a request pick another provider and model', () => {
    const config: VisionConfig = {
      ...base,
      provider: 'anthropic',
      model: 'claude-opus-4-1',
      anthropicApiKey: 'a',
      openaiApiKey: 'o',
    };
    // The configured model belongs to the configured provider: OpenAI gets its own default.
    expect(createVisionProvider(config, tracing, { provider: 'openai' }).model).toBe('gpt-4o');
    expect(createVisionProvider(config, tracing, { provider: 'openai', model: 'gpt-4.1' }).model).toBe('gpt-4.1');
    expect(createVisionProvider(config, tracing, { model: 'claude-haiku-4-5' }).model).toBe('claude-haiku-4-5');
    expect(createVisionProvider(config, tracing, { provider: 'local' }).provider).toBe('local');
  });

  it('picks the local OCR engine by model name, and refuses one it does not have', async () => {
    const tesseract = createVisionProvider({ ...base, model: 'tesseract-eng-v1' }, tracing);
    expect(tesseract.model).toBe('tesseract-eng-v1');
    expect(await tesseract.resolve()).toMatchObject({ model: 'tesseract-eng-v1' });
    await tesseract.close();
    expect(createVisionProvider(base, tracing, { provider: 'local', model: 'tesseract-eng-v1' }).model).toBe('tesseract-eng-v1');
    // A hosted provider's VISION_MODEL is not a local engine's name: asking for local gets its default.
    expect(
      createVisionProvider({ ...base, provider: 'anthropic', model: 'claude-opus-4-1', anthropicApiKey: 'k' }, tracing, {
        provider: 'local',
      }).model,
    ).toBe('ppocr-v4-rules-v1');
    expect(() => resolveVisionChoice(base, { provider: 'local', model: 'gpt-4o' })).toThrow(
      expect.objectContaining({ status: 400, code: 'unknown_model' }),
    );
  });

  it('rejects an unknown provider name', () => {
    expect(() => resolveVisionChoice(base, { provider: 'gemini' })).toThrow(
      /unknown vision provider "gemini"; expected one of local, anthropic, openai, bedrock/,
    );
  });
});

describe('VisionProviders', () => {
  it('reuses one instance per provider and model, and closes them all', async () => {
    const providers = new VisionProviders({ ...base, anthropicApiKey: 'k' }, tracing);
    const local = providers.get();
    expect(providers.get({ provider: 'local' })).toBe(local);
    const sonnet = providers.get({ provider: 'anthropic' });
    expect(providers.get({ provider: 'anthropic', model: 'claude-sonnet-4-5' })).toBe(sonnet);
    expect(providers.get({ provider: 'anthropic', model: 'claude-haiku-4-5' })).not.toBe(sonnet);
    await providers.closeAll();
    expect(providers.get()).not.toBe(local);
  });
});
