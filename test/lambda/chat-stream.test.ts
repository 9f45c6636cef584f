import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/shared/config.js';
import { CHAT_TURN_TIMEOUT_MS } from '../../src/contracts/aws.js';
import type { CognitoUser } from '../aws/helpers/cognito-local.js';
import { claimsOf, startAwsHome, type AwsHome } from './helpers/aws-home.js';
import { installStreamingRuntime, startFunctionUrl, type FunctionUrl } from './helpers/function-url.js';
import { startOllamaStream, type OllamaStream } from './helpers/ollama-stream.js';

/**
 * The chat-stream function behind its function URL (RESPONSE_STREAM), as on AWS: the real
 * handler module under an emulated Lambda streaming runtime, Postgres (PGlite over the wire),
 * Cognito (cognito-local) and a chat model that streams (Ollama's NDJSON API on loopback). And
 * the api function's capped turn, which must end with its own 504 before API Gateway's 30 s.
 */
let home: AwsHome;
let model: OllamaStream;
let fnUrl: FunctionUrl;
let restoreRuntime: () => void;
let alice: CognitoUser;
let bob: CognitoUser;

beforeAll(async () => {
  model = await startOllamaStream();
  restoreRuntime = installStreamingRuntime(); // before the module loads, as Lambda does
  home = await startAwsHome({ cognito: true, env: { CHAT_PROVIDER: 'ollama', CHAT_MODEL: 'llama3.1', OLLAMA_BASE_URL: model.baseUrl } });
  const { handler } = await import('../../src/lambda/handlers/chat-stream.js');
  fnUrl = await startFunctionUrl(handler, { functionName: 'collections-test-chat-stream' });
  [alice, bob] = await Promise.all([home.cognito!.createUser('alice@example.com'), home.cognito!.createUser('bob@example.com')]);
});
afterAll(async () => {
  await fnUrl?.close();
  await home?.stop();
  await model?.close();
  restoreRuntime?.();
});

interface Received {
  event: string;
  data: any;
  /** performance.now() when the client read it. */
  at: number;
}

/** POST /chat/stream on the function URL; SSE events stamped with their arrival time. */
async function streamTurn(body: unknown, authorization?: string) {
  const res = await fetch(new URL('chat/stream', fnUrl.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...(authorization && { authorization }) },
    body: JSON.stringify(body),
  });
  if (!res.headers.get('content-type')?.startsWith('text/event-stream'))
    return { status: res.status, json: await res.json(), events: [] as Received[] };
  const events: Received[] = [];
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = block
        .split('\n')
        .filter((l) => l.startsWith('data: '))
        .map((l) => l.slice(6))
        .join('\n');
      events.push({ event, data: JSON.parse(data), at: performance.now() });
    }
  }
  return { status: res.status, json: null, events };
}

const bearer = (user: CognitoUser) => `Bearer ${user.accessToken}`;

describe('chat-stream: POST /chat/stream through a function URL', () => {
  it('streams tool activity and tokens as they come: the first token arrives before the model has finished', async () => {
    model.reply(
      { toolCall: { name: 'search_collection', arguments: { query: 'Ichiran' } } },
      { tokens: ['Ichiran ', 'opens ', 'at ', 'ten.'], delayMs: 300 },
    );
    const r = await streamTurn({ message: 'When does Ichiran open?', session_id: 'trip' }, bearer(alice));
    expect(r.status).toBe(200);
    const names = r.events.map((e) => e.event);
    expect(names[0]).toBe('session');
    expect(names.at(-1)).toBe('message');
    expect(names.indexOf('tool_call')).toBeLessThan(names.indexOf('tool_result'));
    expect(names.indexOf('tool_result')).toBeLessThan(names.indexOf('token'));
    const tokens = r.events.filter((e) => e.event === 'token');
    expect(tokens.map((e) => e.data.text).join('')).toBe('Ichiran opens at ten.');
    expect(r.events.at(-1)!.data).toMatchObject({ session_id: 'trip', message: { role: 'assistant', content: 'Ichiran opens at ten.' } });

    // Buffered, every event would arrive after the model's last line; streamed, the first token
    // is read while the model is still writing the rest, and each token in the order written.
    const modelFinished = model.finishedAt.at(-1)!;
    expect(tokens[0]!.at).toBeLessThan(modelFinished);
    expect(tokens.map((t) => t.at)).toEqual([...tokens.map((t) => t.at)].sort((a, b) => a - b));
    expect(tokens[0]!.at).toBeLessThan(r.events.at(-1)!.at);
  });

  it('answers 401 JSON without a valid token, before any model call', async () => {
    const calls = model.requests.length;
    for (const authorization of [undefined, 'Bearer not-a-jwt', `Bearer ${alice.accessToken.slice(0, -4)}AAAA`]) {
      const r = await streamTurn({ message: 'hello?' }, authorization);
      expect(r.status, String(authorization)).toBe(401);
      expect(r.json.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    }
    expect(model.requests.length).toBe(calls);
  });

  it('serves POST /chat/stream only', async () => {
    const res = await fetch(new URL('chat/sessions', fnUrl.url), { headers: { authorization: bearer(alice) } });
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('not_found');
  });

  it('keeps two users with the same session id apart', async () => {
    model.reply({ tokens: ['Noted.'] });
    await streamTurn({ message: 'alice secret: the onsen in Beppu', session_id: 'shared' }, bearer(alice));
    model.reply((messages) => ({ tokens: [`bob sees ${messages.filter((m) => m.role === 'user').length} user message(s)`] }));
    const r = await streamTurn({ message: 'what did I say?', session_id: 'shared' }, bearer(bob));
    expect(r.events.at(-1)!.data.message.content).toBe('bob sees 1 user message(s)');
    expect(JSON.stringify(model.requests.at(-1))).not.toContain('alice secret');

    const as = (user: CognitoUser) => ({ token: user.accessToken, claims: claimsOf(user.accessToken) });
    const bobs = await home.api({ method: 'GET', url: '/chat/shared/history', ...as(bob) });
    expect(JSON.stringify(bobs.body)).not.toContain('alice secret');
    const alices = await home.api({ method: 'GET', url: '/chat/shared/history', ...as(alice) });
    expect(JSON.stringify(alices.body)).toContain('alice secret');
  });
});

describe('api function: a turn ends before API Gateway’s 30 s', () => {
  it('caps CHAT_TURN_TIMEOUT_MS at 25 s and says where longer turns go', async () => {
    const { behindHttpApi, API_CHAT_TIMEOUT_HINT } = await import('../../src/lambda/runtime/http-api.js');
    expect(behindHttpApi(loadConfig({ CHAT_TURN_TIMEOUT_MS: '90000' })).chatSessions).toMatchObject({
      turnTimeoutMs: CHAT_TURN_TIMEOUT_MS.api,
      timeoutHint: API_CHAT_TIMEOUT_HINT,
    });
    expect(CHAT_TURN_TIMEOUT_MS.api).toBeLessThan(29_000);
    expect(behindHttpApi(loadConfig({ CHAT_TURN_TIMEOUT_MS: '5000' })).chatSessions.turnTimeoutMs).toBe(5000);
  });

  it('answers a stalled turn with 504 chat_timeout, not a silent gateway cut', async () => {
    vi.stubEnv('CHAT_TURN_TIMEOUT_MS', '1000'); // the stack sets 25000; a second keeps the test short
    await home.coldStart();
    const as = { token: alice.accessToken, claims: claimsOf(alice.accessToken) };

    model.reply({ stall: true });
    const slow = await home.api({ method: 'POST', url: '/chat', json: { message: 'take your time', session_id: 'slow' }, ...as });
    expect(slow.status).toBe(504);
    expect(slow.body.error.code).toBe('chat_timeout');
    expect(slow.body.error.message).toMatch(/took longer than its 1 s limit/);
    expect(slow.body.error.message).toContain('chat stream URL');

    // POST /chat/stream through the HTTP API is buffered: the turn had started, so it ends with
    // the stream's own `error` event carrying the same code.
    model.reply({ stall: true });
    const streamed = await home.api({ method: 'POST', url: '/chat/stream', json: { message: 'again', session_id: 'slow' }, ...as });
    expect(streamed.status).toBe(200);
    // Hono's adapter base64-encodes a text/event-stream body (API Gateway decodes it for the client).
    expect(Buffer.from(String(streamed.body), 'base64').toString('utf8')).toMatch(/event: error\ndata: .*"chat_timeout"/);
  });
});
