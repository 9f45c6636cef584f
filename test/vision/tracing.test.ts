import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { awaitAllCallbacks } from '@langchain/core/callbacks/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AnthropicVisionProvider } from '../../src/adapters/vision/anthropic.js';
import { renderTextImage } from '../helpers/render-text.js';
import { FakeModelServer } from './fake-model-server.js';

/**
 * With tracing on, LangChain.js sends the run to LangSmith by itself; the adapter only names the
 * run. Here "LangSmith" is a local server, so the test proves the returned trace id is the id of
 * the run that was actually posted, without touching the internet.
 */
const ENV = ['LANGSMITH_TRACING', 'LANGSMITH_API_KEY', 'LANGSMITH_ENDPOINT', 'LANGCHAIN_TRACING_V2'];
const savedEnv = new Map(ENV.map((k) => [k, process.env[k]]));
const received: string[] = [];
let langsmith: Server;
const model = new FakeModelServer('anthropic');

beforeAll(async () => {
  langsmith = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push(`${req.method} ${req.url}\n${Buffer.concat(chunks).toString('utf8')}`);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(req.url?.startsWith('/info') ? '{"version":"test","batch_ingest_config":{}}' : '{}');
    });
  });
  await new Promise<void>((resolve) => langsmith.listen(0, '127.0.0.1', resolve));
  process.env.LANGSMITH_TRACING = 'true';
  process.env.LANGSMITH_API_KEY = 'lsv2_test_key';
  process.env.LANGSMITH_ENDPOINT = `http://127.0.0.1:${(langsmith.address() as AddressInfo).port}`;
  await model.start();
});

afterAll(async () => {
  await model.stop();
  langsmith.closeAllConnections();
  await new Promise<void>((resolve) => langsmith.close(() => resolve()));
  for (const [k, v] of savedEnv) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

it('posts the analysis run to LangSmith under the trace id it returns', async () => {
  model.reply({ text: 'not json' }, { text: '{"category":"Food","headline":"Ramen","summary":"A ramen shop."}' });
  const provider = new AnthropicVisionProvider({
    apiKey: 'test-key',
    baseUrl: model.baseUrl,
    timeoutMs: 5_000,
    tracing: { enabled: true, project: undefined },
    maxRetries: 0,
  });
  const image = await renderTextImage({
    width: 400,
    height: 300,
    lines: [{ text: 'Ramen', y: 100, size: 40 }],
  });
  const result = await provider.analyze({
    image,
    mimeType: 'image/png',
    facts: { width: 400, height: 300, format: 'png', captured_at: null, gps: null, camera: null },
  });
  expect(result.traceId).toMatch(/^[0-9a-f-]{36}$/);

  await awaitAllCallbacks();
  // The LangSmith client batches in the background: wait for the post.
  const deadline = Date.now() + 10_000;
  const posted = () => received.some((r) => r.includes(result.traceId!) && r.includes('vision-analysis'));
  while (!posted() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(posted()).toBe(true);
});
