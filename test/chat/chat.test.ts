import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isHumanMessage, isToolMessage, type BaseMessage } from '@langchain/core/messages';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PGliteDatabase } from '../../src/adapters/database/pglite.js';
import { SqlChatStore } from '../../src/adapters/chat-store/sql/store.js';
import { openTestDatabase } from '../helpers/db.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { ScriptedChatModel, type ScriptedTurn } from '../helpers/scripted-chat-model.js';
import { SAMPLE_ITEMS, createTwoUserCollection, type TwoUserCollection } from '../helpers/two-user-collection.js';
import { testClock } from '../chat-store/contract.js';

/**
 * Chat through the app: the real pipeline, PGlite (items, search and the chat store), the local
 * embedder and a scripted tool-calling model; a loopback server stands in for Tavily.
 */
let db: PGliteDatabase;
let c: TwoUserCollection;
let h: Harness;
let alice: Record<string, string>;
let bob: Record<string, string>;
let ids: Record<string, string>;
let web: Server;
let webReplies: { status: number; body: unknown }[] = [];
let webDelay: Promise<void> | null = null;
const webRequests: { auth?: string; body: any }[] = [];
const model = new ScriptedChatModel();
const clock = testClock(Date.now());
const { ramen, onsen, cursor } = SAMPLE_ITEMS;

beforeAll(async () => {
  web = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', async () => {
      await webDelay;
      webRequests.push({ auth: req.headers.authorization, body: JSON.parse(raw || '{}') });
      const reply = webReplies.shift() ?? { status: 500, body: { error: 'no reply scripted' } };
      res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
  db = await openTestDatabase();
  const store = new SqlChatStore({ db, ttlMs: 4 * 3600_000, now: clock.now });
  c = await createTwoUserCollection(db, {
    items: { ramen, onsen, cursor },
    seed: 500,
    overrides: { chatModel: model, chatStore: store },
    env: {
      TAVILY_API_KEY: 'tvly-test',
      TAVILY_BASE_URL: `http://127.0.0.1:${(web.address() as AddressInfo).port}`,
      CHAT_TURN_TIMEOUT_MS: '3000',
    },
  });
  ({ h, alice, bob, ids } = c);
});
afterAll(async () => {
  await c?.close();
  await db?.close();
  await new Promise((r) => web?.close(r));
});
beforeEach(() => {
  model.reply();
});

const chat = (body: unknown, headers = alice) => h.call('POST', '/chat', { json: body, headers });
const searchCall = (query: string): ScriptedTurn => ({ toolCalls: [{ name: 'search_collection', args: { query } }] });
const texts = (messages: BaseMessage[]) => messages.map((m) => (typeof m.content === 'string' ? m.content : m.text));

describe('POST /chat', () => {
  it('answers from a search of the caller’s collection, and turn 2 builds on turn 1', async () => {
    model.reply(searchCall('ramen Fukuoka'), { text: 'You saved Ichiran Ramen in Fukuoka [Item 1].' });
    const first = await chat({ message: 'Which ramen places did I save in Fukuoka?', session_id: 'trip' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      session_id: 'trip',
      conversation_turn: 1,
      message: { role: 'assistant', content: 'You saved Ichiran Ramen in Fukuoka [Item 1].' },
    });
    expect(first.body.search_results.map((r: any) => r.item_id)).toContain(ids.ramen);
    expect(first.body.search_results.map((r: any) => r.item_id)).not.toContain(ids.bobRamen);
    expect(first.body.tools_used).toEqual([
      { tool: 'search_collection', input: { query: 'ramen Fukuoka' }, output: expect.stringContaining('Ichiran') },
    ]);
    expect(first.body.response_time_ms).toBeGreaterThanOrEqual(0);

    // Turn 2 ("when is it open?") only makes sense with turn 1: the model reads the ramen id
    // from the earlier search result in the restored conversation and looks the item up.
    model.reply(
      (messages) => {
        const earlier = messages.find((m) => isToolMessage(m) && String(m.content).includes(ids.ramen!));
        if (!earlier) return { text: 'I have no earlier search to go on.' };
        return { toolCalls: [{ name: 'get_item', args: { item_id: ids.ramen } }] };
      },
      (messages) => ({ text: String(messages.at(-1)?.content).includes('Open 24 hours') ? 'It is open 24 hours.' : 'I could not tell.' }),
    );
    const second = await chat({ message: 'When is it open?', session_id: 'trip' });
    expect(second.status).toBe(200);
    expect(second.body.message.content).toBe('It is open 24 hours.');
    expect(second.body.conversation_turn).toBe(2);
    expect(second.body.tools_used[0]).toMatchObject({ tool: 'get_item', input: { item_id: ids.ramen } });
    const seen = texts(model.calls[0]!.messages);
    expect(seen).toEqual(
      expect.arrayContaining([
        'Which ramen places did I save in Fukuoka?',
        'You saved Ichiran Ramen in Fukuoka [Item 1].',
        'When is it open?',
      ]),
    );
  });

  it('creates a session when none is named, and lists the caller’s sessions only', async () => {
    model.reply({ text: 'Hello!' });
    const r = await chat({ message: 'hi there' });
    expect(r.status).toBe(200);
    expect(r.body.session_id).toMatch(/^[0-9a-f-]{36}$/);
    const mine = await h.call('GET', '/chat/sessions', { headers: alice });
    expect(mine.status).toBe(200);
    const listed = mine.body.sessions.find((s: any) => s.session_id === r.body.session_id);
    expect(listed).toMatchObject({ title: 'hi there', message_count: 2 });
    expect(Date.parse(listed.expires_at) - Date.parse(listed.last_activity)).toBe(4 * 3600_000);
    const theirs = await h.call('GET', '/chat/sessions', { headers: bob });
    expect(theirs.body.sessions.map((s: any) => s.session_id)).not.toContain(r.body.session_id);
  });

  it('keeps two users with the same session id apart', async () => {
    model.reply({ text: 'Alice’s answer' });
    await chat({ message: 'alice secret question', session_id: 'shared' });
    model.reply((messages) => ({ text: `bob sees ${messages.filter(isHumanMessage).length} user message(s)` }));
    const r = await chat({ message: 'bob question', session_id: 'shared' }, bob);
    expect(r.body.message.content).toBe('bob sees 1 user message(s)');
    expect(texts(model.calls[0]!.messages).join(' ')).not.toContain('alice secret');
    const history = await h.call('GET', '/chat/shared/history', { headers: bob });
    expect(history.body.messages.map((m: any) => m.content)).toEqual(['bob question', r.body.message.content]);
  });

  it('returns the history with roles, tool calls and times', async () => {
    const r = await h.call('GET', '/chat/trip/history', { headers: alice });
    expect(r.status).toBe(200);
    expect(r.body.session).toMatchObject({ session_id: 'trip', title: 'Which ramen places did I save in Fukuoka?' });
    const roles = r.body.messages.map((m: any) => m.role);
    expect(roles).toEqual(['user', 'assistant', 'tool', 'assistant', 'user', 'assistant', 'tool', 'assistant']);
    expect(r.body.messages[1].tool_calls[0]).toMatchObject({ name: 'search_collection', args: { query: 'ramen Fukuoka' } });
    for (const m of r.body.messages) expect(Date.parse(m.timestamp)).not.toBeNaN();
    expect(r.body.session.message_count).toBe(8);
  });

  it('uses the web for facts the collection lacks and survives a failing web search', async () => {
    webReplies = [
      {
        status: 200,
        body: {
          answer: 'Open 24h.',
          results: [{ title: 'Ichiran Tenjin', url: 'https://example.com/ichiran', content: 'Open 24 hours daily' }],
        },
      },
    ];
    model.reply(
      { toolCalls: [{ name: 'search_web', args: { query: 'Ichiran Tenjin hours' } }] },
      { text: 'Open 24 hours (https://example.com/ichiran).' },
    );
    const ok = await chat({ message: 'Is Ichiran Tenjin open now?', session_id: 'web' });
    expect(ok.status).toBe(200);
    expect(ok.body.tools_used[0]).toMatchObject({ tool: 'search_web', output: expect.stringContaining('https://example.com/ichiran') });
    expect(webRequests.at(-1)).toMatchObject({ auth: 'Bearer tvly-test', body: { query: 'Ichiran Tenjin hours' } });
    expect(model.calls[0]!.tools).toEqual(expect.arrayContaining(['search_collection', 'get_item', 'search_web']));

    webReplies = [{ status: 500, body: { error: 'down' } }];
    model.reply({ toolCalls: [{ name: 'search_web', args: { query: 'Ichiran prices' } }] }, (messages) => ({
      text: `The web search failed: ${String(messages.at(-1)?.content).includes('HTTP 500') ? 'HTTP 500' : '?'}`,
    }));
    const failed = await chat({ message: 'How much is a bowl?', session_id: 'web' });
    expect(failed.status).toBe(200);
    expect(failed.body.message.content).toBe('The web search failed: HTTP 500');
  });

  it('answers a model timeout with 504 and keeps the session usable', async () => {
    model.reply({ hang: true });
    const slow = await chat({ message: 'this one times out', session_id: 'slow' });
    expect(slow.status).toBe(504);
    expect(slow.body.error.code).toBe('chat_timeout');
    model.reply({ text: 'back again' });
    const next = await chat({ message: 'and now?', session_id: 'slow' });
    expect(next.status).toBe(200);
    expect(next.body.conversation_turn).toBe(2);
    expect(texts(model.calls[0]!.messages)).toEqual(expect.arrayContaining(['this one times out', 'and now?']));
  });

  it('answers a tool call a timed-out turn left open before the next turn', async () => {
    webReplies = [{ status: 200, body: { results: [] } }];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    webDelay = held;
    model.reply({ toolCalls: [{ name: 'search_web', args: { query: 'slow' }, id: 'call_slow' }] });
    const slow = await chat({ message: 'look this up on the web', session_id: 'dangling' });
    expect(slow.status).toBe(504);
    release();
    webDelay = null;
    model.reply((messages) => {
      const answer = messages.find((m) => isToolMessage(m) && m.tool_call_id === 'call_slow');
      return { text: answer ? `repaired: ${answer.content}` : 'not repaired' };
    });
    const next = await chat({ message: 'never mind', session_id: 'dangling' });
    expect(next.status).toBe(200);
    expect(next.body.message.content).toBe('repaired: This tool call was interrupted before it answered.');
  });

  it('lets one turn at a time run on a session (409 for the other)', async () => {
    model.reply({ hang: true }, { text: 'second' });
    const [a, b] = await Promise.all([
      chat({ message: 'first', session_id: 'busy' }),
      new Promise((r) => setTimeout(r, 200)).then(() => chat({ message: 'second', session_id: 'busy' })),
    ]);
    expect(a.status).toBe(504);
    expect(b.status).toBe(409);
    expect(b.body.error.code).toBe('session_busy');
    model.reply({ text: 'fine' });
    expect((await chat({ message: 'third', session_id: 'busy' })).status).toBe(200);
  });

  it('rejects bad input with 400 and unknown sessions with 404', async () => {
    for (const body of [
      { message: '' },
      { message: '   ' },
      { message: 'x'.repeat(20_000) },
      { message: 'hi', session_id: '../etc' },
      { message: 'hi', top_k: 0 },
      {},
    ]) {
      const r = await chat(body);
      expect(r.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(r.body.error.code).toBe('invalid_request');
    }
    const bad = await h.call('POST', '/chat', { body: '{not json', headers: { ...alice, 'content-type': 'application/json' } });
    expect(bad.status).toBe(400);
    for (const [method, url] of [
      ['GET', '/chat/nope/history'],
      ['DELETE', '/chat/nope'],
    ] as const) {
      const r = await h.call(method, url, { headers: alice });
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe('not_found');
    }
    expect((await h.call('GET', '/chat/trip/history', { headers: bob })).status).toBe(404);
  });

  it('streams a turn as Server-Sent Events', async () => {
    model.reply(searchCall('onsen'), { text: 'Kurokawa Onsen.' });
    const res = await h.app.request('/chat/stream', {
      method: 'POST',
      headers: { ...alice, 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'Which onsen did I save?', session_id: 'stream' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = (await res.text())
      .split('\n\n')
      .filter((b) => b.trim())
      .map((b) => {
        const event = /^event: (.+)$/m.exec(b)?.[1];
        const data = /^data: (.+)$/m.exec(b)?.[1];
        return { event, data: data ? JSON.parse(data) : null };
      });
    const names = events.map((e) => e.event);
    expect(names[0]).toBe('session');
    expect(names).toContain('tool_call');
    expect(names).toContain('tool_result');
    expect(names).toContain('token');
    expect(names.at(-1)).toBe('message');
    expect(events.find((e) => e.event === 'tool_call')?.data).toMatchObject({ tool: 'search_collection', input: { query: 'onsen' } });
    expect(
      events
        .filter((e) => e.event === 'token')
        .map((e) => e.data.text)
        .join(''),
    ).toBe('Kurokawa Onsen.');
    expect(events.at(-1)?.data).toMatchObject({ session_id: 'stream', message: { content: 'Kurokawa Onsen.' } });
    expect(events.at(-1)?.data.search_results.map((r: any) => r.item_id)).toContain(ids.onsen);

    model.reply({ hang: true });
    const busy = h.app.request('/chat/stream', {
      method: 'POST',
      headers: { ...alice, 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'slow', session_id: 'stream2' }),
    });
    await new Promise((r) => setTimeout(r, 200));
    const second = await h.call('POST', '/chat/stream', { json: { message: 'again', session_id: 'stream2' }, headers: alice });
    expect(second.status).toBe(409);
    const first = await busy;
    expect(await first.text()).toContain('event: error');
  });

  it('deletes a session and everything in it', async () => {
    model.reply({ text: 'to be deleted' });
    await chat({ message: 'delete me', session_id: 'gone' });
    const del = await h.call('DELETE', '/chat/gone', { headers: alice });
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ session_id: 'gone', deleted: true });
    expect((await h.call('GET', '/chat/gone/history', { headers: alice })).status).toBe(404);
    expect((await h.call('DELETE', '/chat/gone', { headers: alice })).status).toBe(404);
    const rows = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM chat_checkpoints WHERE thread_id = 'alice#gone'`);
    expect(rows.rows[0]!.n).toBe(0);
  });

  it('deletes a session at collections-local’s path too, DELETE /chat/sessions/{id}', async () => {
    model.reply({ text: 'old client' });
    await chat({ message: 'delete me the old way', session_id: 'old-client' });
    const del = await h.call('DELETE', '/chat/sessions/old-client', { headers: alice });
    expect(del).toMatchObject({ status: 200, body: { session_id: 'old-client', deleted: true } });
    expect((await h.call('GET', '/chat/old-client/history', { headers: alice })).status).toBe(404);
  });

  it('forgets a session after its time to live', async () => {
    model.reply({ text: 'short-lived' });
    await chat({ message: 'remember this', session_id: 'ttl' });
    clock.advance(4 * 3600_000 + 1000);
    expect((await h.call('GET', '/chat/ttl/history', { headers: alice })).status).toBe(404);
    const listed = await h.call('GET', '/chat/sessions', { headers: alice });
    expect(listed.body.sessions.map((s: any) => s.session_id)).not.toContain('ttl');
    model.reply((messages) => ({ text: `${messages.filter(isHumanMessage).length} message(s) remembered` }));
    const fresh = await chat({ message: 'what did I say?', session_id: 'ttl' });
    expect(fresh.body.message.content).toBe('1 message(s) remembered');
  });
});

describe('without a chat model', () => {
  it('answers 503 naming the settings, while the rest of the app works', async () => {
    const plain = await createHarness(db, {}, { chatModel: null });
    try {
      const r = await plain.call('POST', '/chat', { json: { message: 'hello' } });
      expect(r.status).toBe(503);
      expect(r.body.error.code).toBe('chat_unavailable');
      expect(r.body.error.message).toContain('CHAT_PROVIDER');
      expect((await plain.call('GET', '/chat/sessions')).status).toBe(200);
      expect((await plain.call('GET', '/health')).status).toBe(200);
    } finally {
      await plain.close();
    }
  });
});
