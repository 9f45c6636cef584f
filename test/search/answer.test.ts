import { ChatAnthropic } from '@langchain/anthropic';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { ChatOpenAI } from '@langchain/openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkChatConfig, createChatModel, resolveChatModel } from '../../src/adapters/chat-model/index.js';
import { loadConfig } from '../../src/shared/config.js';
import { NO_RESULTS_ANSWER, generateAnswer, parseCitations } from '../../src/services/search/answer.js';
import { ChatSearcher } from '../../src/services/search/agent/index.js';
import { FakeSearcher, ScriptedChatModel, fakeResult } from '../helpers/scripted-chat-model.js';
import { FakeModelServer } from '../vision/fake-model-server.js';

const RESULTS = [
  fakeResult(1, 'id-ramen', 'Ichiran Ramen in Fukuoka: tonkotsu noodles open late'),
  fakeResult(2, 'id-onsen', 'Kurokawa Onsen hot spring village', { category: 'Travel' }),
  fakeResult(3, 'id-cursor', 'Cursor: an AI code editor', { category: 'Technology' }),
];

const silent = { debug() {}, info() {}, warn() {}, error() {} };

describe('parseCitations', () => {
  it('maps [Item n] to the ids of those ranks, first cited first, ignoring unknown ranks', () => {
    expect(parseCitations('Ichiran is open late [Item 1]. Kurokawa has baths [Item 2]. [Item 9]', RESULTS)).toEqual([
      'id-ramen',
      'id-onsen',
    ]);
    expect(parseCitations('Both [Item 2] and [Item 1], again [Item 2].', RESULTS)).toEqual(['id-onsen', 'id-ramen']);
  });

  it('reads the usual variations of the marker', () => {
    expect(parseCitations('See [Items 1 and 3].', RESULTS)).toEqual(['id-ramen', 'id-cursor']);
    expect(parseCitations('See [Item 3, 1].', RESULTS)).toEqual(['id-cursor', 'id-ramen']);
    expect(parseCitations('See [item 2; Item 3][ITEM 1].', RESULTS)).toEqual(['id-onsen', 'id-cursor', 'id-ramen']);
    expect(parseCitations('See [Item #2].', RESULTS)).toEqual(['id-onsen']);
  });

  it('finds nothing in text without markers or with out-of-range ones', () => {
    expect(parseCitations('Item 1 is good. [1] [Item] [Item 0] [Item 4] [Item one]', RESULTS)).toEqual([]);
    expect(parseCitations('[Item 1]', [])).toEqual([]);
  });
});

describe('generateAnswer', () => {
  it('sends the question and the numbered results, and returns the answer with citations', async () => {
    const model = new ScriptedChatModel({ text: '  Ichiran is open late [Item 1]. Kurokawa has baths [Item 2]. [Item 9]  ' });
    const a = await generateAnswer(model, 'late ramen and a hot spring?', RESULTS);
    expect(a.answer).toBe('Ichiran is open late [Item 1]. Kurokawa has baths [Item 2]. [Item 9]');
    expect(a.citations).toEqual(['id-ramen', 'id-onsen']);
    expect(a.answer_time_ms).toBeGreaterThanOrEqual(0);
    const [system, human] = model.calls[0]!.messages;
    expect(system).toBeInstanceOf(SystemMessage);
    expect(String(system!.content)).toMatch(/\[Item n\]/);
    expect(human).toBeInstanceOf(HumanMessage);
    const prompt = String(human!.content);
    expect(prompt).toContain('Question: late ramen and a hot spring?');
    expect(prompt).toContain('[Item 1] (Food) Ichiran Ramen in Fukuoka: tonkotsu noodles open late');
    expect(prompt).toContain('[Item 2] (Travel) Kurokawa Onsen hot spring village');
    expect(prompt).toContain('Source: TikTok');
  });

  it('does not call the model when there are no results', async () => {
    const model = new ScriptedChatModel();
    expect(await generateAnswer(model, 'tacos', [])).toEqual({ answer: NO_RESULTS_ANSWER, citations: [], answer_time_ms: 0 });
    expect(model.calls).toHaveLength(0);
  });

  it('treats an empty reply as a failure', async () => {
    await expect(generateAnswer(new ScriptedChatModel({ text: '  ' }), 'q', RESULTS)).rejects.toThrow(/empty answer/);
  });
});

describe('ChatSearcher answers (include_answer)', () => {
  it('adds answer, citations and answer_time_ms to the results, and no notice', async () => {
    const base = new FakeSearcher(RESULTS);
    const model = new ScriptedChatModel({ text: 'Ichiran is open late [Item 1]. Kurokawa has baths [Item 2]. [Item 9]' });
    const searcher = new ChatSearcher(base, model, { logger: silent });
    const r = await searcher.search('alice', { query: 'late ramen and a hot spring', include_answer: true });
    expect(r.results.map((x) => x.item_id)).toEqual(['id-ramen', 'id-onsen', 'id-cursor']);
    expect(r.answer).toBe('Ichiran is open late [Item 1]. Kurokawa has baths [Item 2]. [Item 9]');
    expect(r.citations).toEqual(['id-ramen', 'id-onsen']);
    expect(r.answer_time_ms).toEqual(expect.any(Number));
    expect(r.notices).toBeUndefined();
    // The base search was asked for results only, for this user.
    expect(base.calls[0]).toMatchObject({ userId: 'alice', request: { include_answer: false, search_type: 'hybrid' } });
  });

  it('without include_answer makes no model call', async () => {
    const model = new ScriptedChatModel();
    const r = await new ChatSearcher(new FakeSearcher(RESULTS), model).search('alice', { query: 'ramen' });
    expect(r.answer).toBeUndefined();
    expect(r.notices).toBeUndefined();
    expect(model.calls).toHaveLength(0);
  });

  it('keeps the results and adds answer_failed when the model throws', async () => {
    const model = new ScriptedChatModel({ error: '529 overloaded' });
    const r = await new ChatSearcher(new FakeSearcher(RESULTS), model, { logger: silent }).search('alice', {
      query: 'ramen',
      search_type: 'bm25',
      include_answer: true,
    });
    expect(r.results).toHaveLength(3);
    expect(r.search_type).toBe('bm25');
    expect(r.answer).toBeUndefined();
    expect(r.citations).toBeUndefined();
    expect(r.notices).toEqual(['answer_failed']);
  });

  it('gives up on a model that does not answer in time', async () => {
    const model = new ScriptedChatModel({ hang: true });
    const started = Date.now();
    const r = await new ChatSearcher(new FakeSearcher(RESULTS), model, { answerTimeoutMs: 200, logger: silent }).search('alice', {
      query: 'ramen',
      include_answer: true,
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.results).toHaveLength(3);
    expect(r.notices).toEqual(['answer_failed']);
  });

  it('answers briefly without a model call when nothing was found', async () => {
    const model = new ScriptedChatModel();
    const r = await new ChatSearcher(new FakeSearcher([]), model).search('alice', { query: 'tacos', include_answer: true });
    expect(r).toMatchObject({ results: [], answer: NO_RESULTS_ANSWER, citations: [] });
    expect(r.notices).toBeUndefined();
    expect(model.calls).toHaveLength(0);
  });

  it('without a chat model is the plain search, which says answer_unavailable', async () => {
    const base = new FakeSearcher(RESULTS);
    const searcher = new ChatSearcher(base, null);
    expect(searcher.answerAvailable).toBe(false);
    expect(searcher.agenticAvailable).toBe(false);
    const r = await searcher.search('alice', { query: 'ramen', include_answer: true });
    expect(r.notices).toEqual(['answer_unavailable']);
    expect(r.answer).toBeUndefined();
    expect(base.calls[0]!.request).toEqual({ query: 'ramen', include_answer: true });
  });
});

describe('createChatModel', () => {
  const chat = (env: Record<string, string>) => loadConfig({ COLLECTIONS_DATA_DIR: '/tmp/unused', ...env }).chat;

  it('is null without a provider (no key, or CHAT_PROVIDER=none)', async () => {
    expect(await createChatModel(chat({}))).toBeNull();
    expect(await createChatModel(chat({ CHAT_PROVIDER: 'none', ANTHROPIC_API_KEY: 'k' }))).toBeNull();
    expect(resolveChatModel(chat({}))).toBeNull();
  });

  it('builds ChatAnthropic (claude-sonnet-4-5) or ChatOpenAI (gpt-4o) with the timeout', async () => {
    const a = await createChatModel(chat({ ANTHROPIC_API_KEY: 'k', PROVIDER_TIMEOUT_MS: '5000' }));
    expect(a).toBeInstanceOf(ChatAnthropic);
    expect((a as ChatAnthropic).model).toBe('claude-sonnet-4-5');
    const o = await createChatModel(chat({ OPENAI_API_KEY: 'k', PROVIDER_TIMEOUT_MS: '5000' }));
    expect(o).toBeInstanceOf(ChatOpenAI);
    expect((o as ChatOpenAI).model).toBe('gpt-4o');
    expect((o as ChatOpenAI).timeout).toBe(5000);
    expect(resolveChatModel(chat({ OPENAI_API_KEY: 'k', CHAT_MODEL: 'gpt-4.1-mini' }))).toEqual({
      provider: 'openai',
      model: 'gpt-4.1-mini',
    });
  });

  it('says which key is missing when a provider is named without one', async () => {
    await expect(createChatModel(chat({ CHAT_PROVIDER: 'anthropic' }))).rejects.toThrow(/ANTHROPIC_API_KEY/);
    await expect(createChatModel(chat({ CHAT_PROVIDER: 'openai' }))).rejects.toThrow(/OPENAI_API_KEY/);
    // The same check, before anything is loaded (what stops start-up).
    expect(() => checkChatConfig(chat({ CHAT_PROVIDER: 'anthropic' }))).toThrow(/ANTHROPIC_API_KEY/);
    expect(() => checkChatConfig(chat({ CHAT_PROVIDER: 'openai' }))).toThrow(/OPENAI_API_KEY/);
    expect(() => checkChatConfig(chat({ CHAT_PROVIDER: 'bedrock' }))).not.toThrow();
  });
});

describe('answers through the real SDKs (loopback fake API)', () => {
  const servers = { anthropic: new FakeModelServer('anthropic'), openai: new FakeModelServer('openai') };
  beforeAll(async () => {
    await servers.anthropic.start();
    await servers.openai.start();
  });
  afterAll(async () => {
    await servers.anthropic.stop();
    await servers.openai.stop();
  });

  it.each(['anthropic', 'openai'] as const)('%s: base URL override, answer and citations', async (provider) => {
    const server = servers[provider].reply({ text: 'Ichiran is open 24 hours [Item 1].' });
    const env: Record<string, string> =
      provider === 'anthropic'
        ? { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: server.baseUrl }
        : { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: server.baseUrl };
    const model = (await createChatModel(chat(env)))!;
    const r = await new ChatSearcher(new FakeSearcher(RESULTS), model).search('alice', { query: 'late ramen', include_answer: true });
    expect(r.answer).toBe('Ichiran is open 24 hours [Item 1].');
    expect(r.citations).toEqual(['id-ramen']);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.body.model).toBe(provider === 'anthropic' ? 'claude-sonnet-4-5' : 'gpt-4o');
    expect(JSON.stringify(server.requests[0]!.body)).toContain('[Item 2] (Travel) Kurokawa Onsen');
  });

  it('a provider error becomes answer_failed, after one retry at most', async () => {
    const server = servers.openai.reply({ status: 500, error: 'boom' });
    const model = (await createChatModel(chat({ OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: server.baseUrl })))!;
    const r = await new ChatSearcher(new FakeSearcher(RESULTS), model, { logger: silent }).search('alice', {
      query: 'late ramen',
      include_answer: true,
    });
    expect(r.notices).toEqual(['answer_failed']);
    expect(r.results).toHaveLength(3);
    expect(server.requests.length).toBeLessThanOrEqual(2);
  });

  function chat(env: Record<string, string>) {
    return loadConfig({ COLLECTIONS_DATA_DIR: '/tmp/unused', ...env }).chat;
  }
});
