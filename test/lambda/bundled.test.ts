import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postForm } from '../aws/helpers/s3.js';
import { solidImage } from '../helpers/images.js';
import { startAwsHome, type AwsHome } from './helpers/aws-home.js';

/**
 * The files `cdk deploy` uploads, not the sources: each function built by the stack's bundler
 * (code split, PGlite and tesseract.js left out, Swagger UI's files beside the API), then driven
 * like pipeline.test.ts drives the sources. Proves the chunks a request loads on demand are
 * there and work: image decoding and EXIF in the processor, LangChain in the analyzer, the chat
 * and search-agent chunks and the docs files in the API.
 */
let home: AwsHome;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'collections-bundled-'));
  home = await startAwsHome({ bundled: { dir } });
}, 240_000);
afterAll(async () => {
  await home?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the bundled functions', () => {
  it('take an upload to ready and searchable across handler boundaries', async () => {
    const png = await solidImage('png', 777, { width: 320, height: 200 });
    const started = await home.api({
      method: 'POST',
      url: '/items/uploads',
      json: { filename: 'onsen.png', content_type: 'image/png', size: png.length },
    });
    expect(started.status).toBe(201);
    const itemId: string = started.body.item.id;
    expect((await postForm(started.body.upload, png, 'image/png')).status).toBe(204);
    const created = home.s3.created.find((e) => e.detail.object.key === started.body.upload.fields.key)!;

    expect(await home.processImage(created, home.ctx('image-processor'))).toEqual({ outcome: 'done', item_id: itemId });
    expect(await home.analyze(home.deliveredLast('ImageProcessed', itemId), home.ctx('analyzer'))).toEqual({
      outcome: 'done',
      item_id: itemId,
    });
    expect(await home.embed(home.deliveredLast('AnalysisComplete', itemId), home.ctx('embedder'))).toEqual({
      outcome: 'done',
      item_id: itemId,
    });

    const item = await home.api({ method: 'GET', url: `/items/${itemId}` });
    expect(item.body).toMatchObject({ status: 'ready', width: 320, height: 200, analysis: { provider: 'openai' } });
    const found = await home.api({ method: 'POST', url: '/search', json: { query: 'ramen in fukuoka' } });
    expect(found.body.results.map((r: { item_id: string }) => r.item_id)).toEqual([itemId]);
  });

  it('serve the API docs from the files beside the bundle, and load the chat and search-agent chunks on demand', async () => {
    const css = await home.api({ method: 'GET', url: '/docs/assets/swagger-ui.css' });
    expect(css.status).toBe(200);
    expect(String(css.body)).toContain('.swagger-ui');

    const config = await home.api({ method: 'GET', url: '/search/config' });
    expect(config).toMatchObject({ status: 200, body: { answer_available: false, agentic_available: false } });
    const sessions = await home.api({ method: 'GET', url: '/chat/sessions' });
    expect(sessions).toMatchObject({ status: 200, body: { sessions: [] } });
    const chat = await home.api({ method: 'POST', url: '/chat', json: { message: 'hello' } });
    expect(chat).toMatchObject({ status: 503, body: { error: { code: 'chat_unavailable' } } });
  });
});
