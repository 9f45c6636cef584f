import { ToolMessage, type BaseMessage } from '@langchain/core/messages';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PGliteDatabase } from '../../src/adapters/database/pglite.js';
import { ChatSearcher } from '../../src/services/search/agent/index.js';
import { createSearcher } from '../../src/services/search/index.js';
import { openTestDatabase } from '../helpers/db.js';
import type { Harness } from '../helpers/harness.js';
import { SAMPLE_ITEMS, createTwoUserCollection, type TwoUserCollection } from '../helpers/two-user-collection.js';
import { ScriptedChatModel, type ScriptedTurn } from '../helpers/scripted-chat-model.js';

/**
 * Agentic search and answers through the app: the real pipeline, PGlite and the local embedder,
 * with a scripted tool-calling chat model injected as the services' chatModel (no network).
 */
let db: PGliteDatabase;
let c: TwoUserCollection;
let h: Harness;
let alice: Record<string, string>;
let bob: Record<string, string>;
let ids: Record<string, string>;
const model = new ScriptedChatModel();
const { ramen, onsen, cursor } = SAMPLE_ITEMS;

beforeAll(async () => {
  db = await openTestDatabase();
  c = await createTwoUserCollection(db, { items: { ramen, onsen, cursor }, seed: 300, overrides: { chatModel: model } });
  ({ h, alice, bob, ids } = c);
});
afterAll(async () => {
  await c?.close();
  await db?.close();
});
beforeEach(() => {
  model.reply();
});

const search = (body: unknown, headers = alice) => h.call('POST', '/search', { json: body, headers });
const searchCall = (query: string, extra: Record<string, unknown> = {}): ScriptedTurn => ({
  toolCalls: [{ name: 'search_collection', args: { query, ...extra } }],
});
const toolMessages = (messages: BaseMessage[]) => messages.filter((m): m is ToolMessage => m instanceof ToolMessage);
const silent = { debug() {}, info() {}, warn() {}, error() {} };

describe('agentic search (POST /search, search_type agentic)', () => {
  it('searches once per part of a multi-part question and returns the union of what it found', async () => {
    model.reply(searchCall('ramen Fukuoka'), searchCall('onsen'), {
      text: 'Ichiran Ramen in Fukuoka is open late; for a hot spring, Kurokawa Onsen.',
    });
    const r = await search({ query: 'Where can I get late ramen in Fukuoka, and which onsen did I save?', search_type: 'agentic' });
    expect(r.status).toBe(200);
    expect(r.body.search_type).toBe('agentic');
    const found = r.body.results.map((x: any) => x.item_id);
    expect(found).toEqual(expect.arrayContaining([ids.ramen, ids.onsen]));
    expect(found).not.toContain(ids.bobRamen);
    expect(new Set(found).size).toBe(found.length);
    expect(r.body.results.map((x: any) => x.rank)).toEqual(found.map((_: unknown, i: number) => i + 1));
    expect(r.body.total_results).toBe(found.length);
    expect(r.body.results[0].score_type).toBe('relevance');
    expect(r.body.match).toBe('strong');

    expect(r.body.tools_used).toHaveLength(2);
    expect(r.body.tools_used[0]).toMatchObject({ tool: 'search_collection', input: { query: 'ramen Fukuoka' } });
    expect(r.body.tools_used[0].result_ids).toContain(ids.ramen);
    expect(r.body.tools_used[0].output_summary).toMatch(/Ichiran Ramen in Fukuoka/);
    expect(r.body.tools_used[1]).toMatchObject({ tool: 'search_collection', input: { query: 'onsen' } });
    expect(r.body.tools_used[1].result_ids).toContain(ids.onsen);
    expect(r.body.agent_reasoning).toBe('Ichiran Ramen in Fukuoka is open late; for a hot spring, Kurokawa Onsen.');
    expect(r.body.notices).toBeUndefined();
    expect(r.body.answer).toBeUndefined();

    // The model was given the tool, and read what each search returned.
    expect(model.calls).toHaveLength(3);
    expect(model.calls[0]!.tools).toEqual(['search_collection']);
    const replies = toolMessages(model.calls[2]!.messages).map((m) => String(m.content));
    expect(replies[0]).toContain('Ichiran Ramen in Fukuoka');
    expect(replies[1]).toContain('Kurokawa Onsen');
  });

  it('handles several searches asked for in one turn', async () => {
    model.reply(
      {
        toolCalls: [
          { name: 'search_collection', args: { query: 'ramen Fukuoka' } },
          { name: 'search_collection', args: { query: 'onsen' } },
        ],
      },
      { text: 'Both found.' },
    );
    const r = await search({ query: 'ramen in Fukuoka and an onsen', search_type: 'agentic' });
    expect(r.body.tools_used.map((t: any) => t.input.query).sort()).toEqual(['onsen', 'ramen Fukuoka']);
    expect(r.body.results.map((x: any) => x.item_id)).toEqual(expect.arrayContaining([ids.ramen, ids.onsen]));
    expect(toolMessages(model.calls[1]!.messages)).toHaveLength(2);
  });

  it('the tool searches only the caller’s items, whatever user the model names', async () => {
    model.reply(searchCall('Ichiran ramen Fukuoka', { user_id: 'bob', userId: 'bob', top_k: 50 }), { text: 'Found it.' });
    const a = await search({ query: 'Bob’s ramen list', search_type: 'agentic' });
    expect(a.status).toBe(200);
    const found = a.body.results.map((x: any) => x.item_id);
    expect(found).toContain(ids.ramen);
    expect(found).not.toContain(ids.bobRamen);
    expect(a.body.tools_used[0].input).toEqual({ query: 'Ichiran ramen Fukuoka', top_k: 20 });
    expect(String(toolMessages(model.calls[1]!.messages)[0]!.content)).not.toContain('Bob');

    // And Bob's agent sees Bob's item only.
    model.reply(searchCall('Ichiran ramen Fukuoka', { user_id: 'alice' }), { text: 'Found it.' });
    const b = await search({ query: 'ramen', search_type: 'agentic' }, bob);
    expect(b.body.results.map((x: any) => x.item_id)).toEqual([ids.bobRamen]);
  });

  it('keeps the request’s category filter on every search', async () => {
    model.reply(searchCall('ramen Fukuoka', { category: 'Food' }), searchCall('onsen'), { text: 'done' });
    const r = await search({ query: 'ramen and onsen', search_type: 'agentic', category_filter: 'Travel' });
    expect(r.body.results.map((x: any) => x.item_id)).toEqual([ids.onsen]);
    expect(r.body.tools_used.map((t: any) => t.input.category)).toEqual(['Travel', 'Travel']);
  });

  it('with include_answer also answers over the union, citing by rank', async () => {
    model.reply(searchCall('ramen Fukuoka'), searchCall('onsen'), { text: 'Found ramen and an onsen.' }, (messages) => {
      const prompt = String(messages[1]!.content);
      const n = (headline: string) => /\[Item (\d+)\][^\n]*/g.exec(prompt.split('\n').find((l) => l.includes(headline)) ?? '')?.[1];
      return { text: `Ichiran is open late [Item ${n('Ichiran')}]. Kurokawa has baths [Item ${n('Kurokawa')}]. [Item 99]` };
    });
    const r = await search({ query: 'late ramen and a hot spring', search_type: 'agentic', include_answer: true });
    expect(r.status).toBe(200);
    expect(r.body.agent_reasoning).toBe('Found ramen and an onsen.');
    expect(r.body.answer).toMatch(/^Ichiran is open late \[Item \d\]\. Kurokawa has baths \[Item \d\]\. \[Item 99\]$/);
    expect(r.body.citations).toEqual([ids.ramen, ids.onsen]);
    expect(r.body.answer_time_ms).toEqual(expect.any(Number));
    expect(r.body.notices).toBeUndefined();
  });

  it('stops after the tool-call limit and still returns what it found', async () => {
    const always: ScriptedTurn = () => searchCall('ramen');
    model.reply(...Array.from({ length: 30 }, () => always));
    const searcher = new ChatSearcher(createSearcher(h.services), model, { maxToolCalls: 3, logger: silent });
    const r = await searcher.search('alice', { query: 'ramen forever', search_type: 'agentic' });
    expect(r.tools_used).toHaveLength(3);
    expect(r.results.map((x) => x.item_id)).toContain(ids.ramen);
    expect(r.notices).toEqual(['agentic_incomplete']);
    expect(r.agent_reasoning).toMatch(/Searched 3 times/);
    expect(model.calls.length).toBeLessThanOrEqual(2 * 3 + 2);
  });

  it('stops at its time limit and answers with hybrid results', async () => {
    model.reply({ hang: true });
    const searcher = new ChatSearcher(createSearcher(h.services), model, { agentTimeoutMs: 300, logger: silent });
    const started = Date.now();
    const r = await searcher.search('alice', { query: 'Ichiran ramen Fukuoka', search_type: 'agentic' });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.search_type).toBe('agentic');
    expect(r.results[0]!.item_id).toBe(ids.ramen);
    expect(r.notices).toEqual(['agentic_incomplete']);
  });

  it('a failing model still gives 200 with hybrid results and a notice', async () => {
    model.reply({ error: 'rate limited' });
    const r = await search({ query: 'Ichiran ramen Fukuoka', search_type: 'agentic' });
    expect(r.status).toBe(200);
    expect(r.body.results[0].item_id).toBe(ids.ramen);
    expect(r.body.results.map((x: any) => x.item_id)).not.toContain(ids.bobRamen);
    expect(r.body.notices).toEqual(['agentic_failed']);
    expect(r.body.tools_used).toEqual([]);
  });

  it('an agent that answers without searching still returns the hybrid results', async () => {
    model.reply({ text: 'I know this one.' });
    const r = await search({ query: 'AI code editor', search_type: 'agentic' });
    expect(r.body.results[0].item_id).toBe(ids.cursor);
    expect(r.body.agent_reasoning).toBe('I know this one.');
    expect(r.body.notices).toBeUndefined();
  });
});

describe('answers over HTTP (include_answer)', () => {
  it('hybrid search with an answer citing ranks 1 and 2 only', async () => {
    model.reply({ text: 'Ichiran is open late [Item 1]. Kurokawa has baths [Item 2]. [Item 9]' });
    const r = await search({ query: 'Ichiran ramen Fukuoka Kurokawa onsen', include_answer: true });
    expect(r.status).toBe(200);
    expect(r.body.results.length).toBeGreaterThanOrEqual(2);
    expect(r.body.answer).toBe('Ichiran is open late [Item 1]. Kurokawa has baths [Item 2]. [Item 9]');
    expect(r.body.citations).toEqual([r.body.results[0].item_id, r.body.results[1].item_id]);
    expect(r.body.notices).toBeUndefined();
  });

  it('the model throwing gives 200 with the results and answer_failed', async () => {
    model.reply({ error: new Error('provider down') });
    const r = await search({ query: 'Ichiran ramen Fukuoka', include_answer: true });
    expect(r.status).toBe(200);
    expect(r.body.results[0].item_id).toBe(ids.ramen);
    expect(r.body.answer).toBeUndefined();
    expect(r.body.notices).toEqual(['answer_failed']);
  });

  it('nothing found: a short answer, no model call', async () => {
    const r = await search({ query: 'Mexican tacos in Guadalajara', include_answer: true });
    // Only the closest items come back (weak), and an answer never rests on them.
    expect(r.body.match).toBe('weak');
    expect(r.body.results.every((x: any) => x.match === 'weak')).toBe(true);
    expect(r.body.answer).toMatch(/Nothing in your collection/);
    expect(r.body.citations).toEqual([]);
    expect(model.calls).toHaveLength(0);
  });

  it('/search/config says answers and agentic search are available', async () => {
    const r = await h.call('GET', '/search/config', { headers: alice });
    expect(r.body).toMatchObject({ answer_available: true, agentic_available: true });
  });
});
