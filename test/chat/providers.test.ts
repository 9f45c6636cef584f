import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChatBedrockConverse } from '@langchain/aws';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PGliteDatabase } from '../../src/adapters/database/pglite.js';
import { createChatModel } from '../../src/adapters/chat-model/index.js';
import { loadConfig } from '../../src/shared/config.js';
import { openTestDatabase } from '../helpers/db.js';
import { createHarness, type Harness } from '../helpers/harness.js';

/**
 * The chat endpoint over a real provider adapter: Ollama's HTTP API (NDJSON /api/chat) served on
 * loopback, with a tool call and then an answer, through createChatModel (CHAT_PROVIDER=ollama).
 */
let db: PGliteDatabase;
let server: Server;
let h: Harness;
const requests: any[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      const body = JSON.parse(raw || '{}');
      requests.push({ path: req.url, body });
      const sawTool = (body.messages ?? []).some((m: any) => m.role === 'tool');
      const message = sawTool
        ? { role: 'assistant', content: 'You saved nothing about ramen yet.' }
        : { role: 'assistant', content: '', tool_calls: [{ function: { name: 'search_collection', arguments: { query: 'ramen' } } }] };
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.end(`${JSON.stringify({ model: body.model, created_at: new Date().toISOString(), message, done: true, done_reason: 'stop' })}\n`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  db = await openTestDatabase();
  h = await createHarness(db, {
    CHAT_PROVIDER: 'ollama',
    CHAT_MODEL: 'llama3.1',
    OLLAMA_BASE_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  });
});
afterAll(async () => {
  await h?.close();
  await db?.close();
  await new Promise((r) => server?.close(r));
});

it('runs a chat turn on Ollama, tool call included', async () => {
  const r = await h.call('POST', '/chat', { json: { message: 'Any ramen places?', session_id: 'ollama' } });
  expect(r.status).toBe(200);
  expect(r.body.message.content).toBe('You saved nothing about ramen yet.');
  expect(r.body.tools_used).toEqual([
    { tool: 'search_collection', input: { query: 'ramen' }, output: 'No items in the collection match "ramen".' },
  ]);
  expect(requests[0]).toMatchObject({ path: '/api/chat', body: { model: 'llama3.1' } });
  expect(requests[0].body.tools.map((t: any) => t.function.name)).toEqual(expect.arrayContaining(['search_collection', 'get_item']));
});

it('builds a Bedrock model without a key, in the configured region', async () => {
  const model = await createChatModel(loadConfig({ CHAT_PROVIDER: 'bedrock', BEDROCK_REGION: 'eu-west-1' }).chat);
  expect(model).toBeInstanceOf(ChatBedrockConverse);
  expect((model as ChatBedrockConverse).model).toBe('us.anthropic.claude-sonnet-4-5-20250929-v1:0');
  expect((model as ChatBedrockConverse).region).toBe('eu-west-1');
});
