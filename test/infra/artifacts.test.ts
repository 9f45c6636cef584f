import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTableInput } from '../../src/contracts/chat-table.js';
import { LAMBDA_FUNCTIONS, type LambdaName } from '../../src/contracts/aws.js';
import { runOps } from '../../scripts/ops/main.js';
import { NATIVE_MODULES_OVERRIDE, REPO_ROOT } from '../../infra/lib/functions.js';
import type { CognitoUser } from '../aws/helpers/cognito-local.js';
import { customResourceEvent, scheduledEvent } from '../aws/helpers/events.js';
import { postForm } from '../aws/helpers/s3.js';
import { startDynamoDbLocal, type DynamoDbLocal } from '../helpers/dynamodb-local.js';
import { solidImage } from '../helpers/images.js';
import { claimsOf, startAwsHome, type AwsHome } from '../lambda/helpers/aws-home.js';
import { runtime } from '../ops/helpers/workspace.js';
import { installStreamingRuntime, startFunctionUrl } from '../lambda/helpers/function-url.js';
import { startOllamaStream, type OllamaStream } from '../lambda/helpers/ollama-stream.js';
import type { TemplateJson } from './helpers.js';

/**
 * What is deployed is what is tested: the `test` environment synthesized by `ops synth` (the
 * CDK CLI with real esbuild bundling, the path `cdk deploy` takes), then every function's asset
 * read back from the cloud assembly (cdk.out/asset.<hash>, the directory CDK zips and uploads) and its exported handler
 * invoked with a real event shape against the local stand-ins. A stack whose functions all
 * pointed at one bundle (as they once did: CDK's asset cache gave all six the migrate bundle)
 * fails here on the first invocation that is not a migration.
 *
 * The one difference from the upload: sharp. The assets are synthesized with this machine's
 * sharp (NATIVE_MODULES_OVERRIDE) instead of the linux-arm64 build, which cannot load on x64;
 * the code, the chunks and the runtime files are the ones a deploy ships.
 */

const temp: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  temp.push(dir);
  return dir;
};

/** sharp and the packages it loads, linked from this machine's node_modules (copied by the bundler). */
function hostNativeModules(): string {
  const dir = tempDir('collections-native-');
  const sharp = JSON.parse(readFileSync(path.join(REPO_ROOT, 'node_modules/sharp/package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const names = new Set(['sharp', '@img', ...Object.keys(sharp.dependencies).filter((d) => !d.startsWith('@img/'))]);
  for (const name of names) symlinkSync(path.join(REPO_ROOT, 'node_modules', name), path.join(dir, name), 'dir');
  return dir;
}

let outdir: string;
let template: TemplateJson;
/** Function name → its asset directory in the cloud assembly. */
const assets = {} as Record<LambdaName, string>;
const names = Object.keys(LAMBDA_FUNCTIONS) as LambdaName[];

let restoreRuntime: () => void;

beforeAll(async () => {
  // The Lambda Node.js runtime's response-streaming global, before any asset module loads (the
  // chat-stream function wraps its handler with it at import, as on Lambda).
  restoreRuntime = installStreamingRuntime();
  outdir = tempDir('collections-cdk-out-');
  // The operator's command, as on a fresh clone: `npm run ops -- synth --env test --out DIR`
  // (the CDK CLI in a child process, cdk-nag included), with this machine's sharp.
  const rt = runtime(REPO_ROOT, { ...process.env, [NATIVE_MODULES_OVERRIDE]: hostNativeModules() });
  const code = await runOps(['synth', '--env', 'test', '--out', outdir], rt);
  if (code !== 0) throw new Error(`ops synth failed (exit ${code}):\n${rt.err.text.slice(-4000)}`);
  template = JSON.parse(readFileSync(path.join(outdir, 'Collections-test.template.json'), 'utf8')) as TemplateJson;
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const name = String(resource.Properties.FunctionName ?? '').replace(/^collections-test-/, '') as LambdaName;
    if (!(name in LAMBDA_FUNCTIONS)) continue;
    expect(resource.Properties.Handler).toBe('index.handler');
    const key = String(resource.Properties.Code.S3Key);
    assets[name] = path.join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
  }
}, 300_000);
afterAll(() => {
  restoreRuntime?.();
  for (const dir of temp.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A digest of a directory's files (names and bytes), to tell bundles apart. */
function digest(dir: string): string {
  const hash = createHash('sha256');
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (name === 'node_modules') continue;
      if (statSync(p).isDirectory()) walk(p);
      else hash.update(path.relative(dir, p)).update(readFileSync(p));
    }
  };
  walk(dir);
  return hash.digest('hex');
}

describe('the synthesized cloud assembly', () => {
  it('gives every function of the contract its own bundle', () => {
    expect(Object.keys(assets).sort()).toEqual([...names].sort());
    const digests = names.map((n) => digest(assets[n]));
    expect(new Set(digests).size).toBe(names.length);
    expect(new Set(Object.values(assets)).size).toBe(names.length);
  });

  it('bundles each function from its own entry: the handler module of the contract', async () => {
    for (const name of names) {
      const files = readdirSync(assets[name]);
      expect(files, name).toContain('index.mjs');
      expect(
        files.some((f) => f.endsWith('.map')),
        name,
      ).toBe(false);
    }
    // Only the functions that read SQL files carry them, only the api carries Swagger UI.
    expect(readdirSync(assets.migrate)).toContain('migrations');
    expect(readdirSync(assets.api)).toContain('swagger-ui');
    expect(readdirSync(assets.analyzer)).not.toContain('swagger-ui');
    expect(readdirSync(assets['image-processor'])).toContain('node_modules');
    expect(readdirSync(assets.cleanup)).not.toContain('node_modules');
    for (const name of names) {
      const module = (await import(/* @vite-ignore */ pathToFileURL(path.join(assets[name], 'index.mjs')).href)) as { handler?: unknown };
      expect(typeof module.handler, name).toBe('function');
    }
  });
});

describe('each asset, invoked with its real event', () => {
  let home: AwsHome;
  let dynamo: DynamoDbLocal;
  let model: OllamaStream;
  let alice: CognitoUser;
  const as = (user: CognitoUser) => ({ token: user.accessToken, claims: claimsOf(user.accessToken) });

  beforeAll(async () => {
    [dynamo, model] = await Promise.all([startDynamoDbLocal(), startOllamaStream()]);
    // DynamoDB Local keeps one database per access key and region: the functions' own.
    const table = 'collections-test-chat';
    const client = new DynamoDBClient({
      region: 'us-east-1',
      endpoint: dynamo.endpoint,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    await client.send(new CreateTableCommand(createTableInput(table)));
    client.destroy();
    // startAwsHome runs the migrate asset with a CloudFormation Create event: the schema.
    home = await startAwsHome({
      cognito: true,
      bundled: { assets },
      env: {
        CHAT_TABLE: table,
        DYNAMODB_ENDPOINT: dynamo.endpoint,
        CHAT_PROVIDER: 'ollama',
        CHAT_MODEL: 'llama3.1',
        OLLAMA_BASE_URL: model.baseUrl,
      },
    });
    alice = await home.cognito!.createUser('alice@example.com');
  }, 240_000);
  afterAll(async () => {
    await home?.stop();
    await dynamo?.stop();
    await model?.close();
  });

  it('migrate: the Create built the schema, an Update applies nothing more', async () => {
    const tables = await home.pglite.query<{ tablename: string }>(
      `SELECT tablename FROM pg_tables WHERE tablename IN ('items', 'analyses', 'search_rows')`,
    );
    expect(tables.rows.map((r) => r.tablename).sort()).toEqual(['analyses', 'items', 'search_rows']);
    const updated = await home.migrate(customResourceEvent('Update', 'collections-schema'), home.ctx('migrate'));
    expect(updated).toMatchObject({ PhysicalResourceId: 'collections-schema', Data: { Applied: '' } });
  });

  it("api: an HTTP API event with a Cognito JWT lists the caller's items; without one, 401", async () => {
    const listed = await home.api({ method: 'GET', url: '/items', ...as(alice) });
    expect(listed).toMatchObject({ status: 200, body: { items: [], total: 0 } });
    const anonymous = await home.api({ method: 'GET', url: '/items' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBeTypeOf('string');
  });

  it('image-processor, analyzer, embedder: S3 Object Created → thumbnail, analysis, search row', async () => {
    const png = await solidImage('png', 9001, { width: 400, height: 300 });
    const started = await home.api({
      method: 'POST',
      url: '/items/uploads',
      ...as(alice),
      json: { filename: 'onsen.png', content_type: 'image/png', size: png.length },
    });
    expect(started.status).toBe(201);
    const itemId: string = started.body.item.id;
    expect((await postForm(started.body.upload, png, 'image/png')).status).toBe(204);
    const created = home.s3.created.find((e) => e.detail.object.key === started.body.upload.fields.key)!;

    expect(await home.processImage(created, home.ctx('image-processor'))).toEqual({ outcome: 'done', item_id: itemId });
    const s3 = new S3Client({
      endpoint: home.s3.endpoint,
      forcePathStyle: true,
      region: 'us-east-1',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const thumbnail = await s3.send(new GetObjectCommand({ Bucket: home.s3.bucket, Key: `${alice.sub}/thumbnails/${itemId}.webp` }));
    expect(thumbnail.ContentType).toBe('image/webp');
    s3.destroy();
    expect((await home.api({ method: 'GET', url: `/items/${itemId}`, ...as(alice) })).body).toMatchObject({
      status: 'processing',
      width: 400,
      height: 300,
    });

    const visionCalls = home.vision.requests.length;
    expect(await home.analyze(home.deliveredLast('ImageProcessed', itemId), home.ctx('analyzer'))).toEqual({
      outcome: 'done',
      item_id: itemId,
    });
    expect(home.vision.requests.length).toBe(visionCalls + 1);
    expect(await home.embed(home.deliveredLast('AnalysisComplete', itemId), home.ctx('embedder'))).toEqual({
      outcome: 'done',
      item_id: itemId,
    });

    const item = await home.api({ method: 'GET', url: `/items/${itemId}`, ...as(alice) });
    expect(item.body).toMatchObject({ status: 'ready', analysis: { provider: 'openai', headline: 'Ichiran Ramen in Fukuoka' } });
    const found = await home.api({ method: 'POST', url: '/search', ...as(alice), json: { query: 'ramen fukuoka' } });
    expect(found.body.results.map((r: { item_id: string }) => r.item_id)).toEqual([itemId]);
  });

  it('cleanup: the hourly schedule event purges through DynamoDB and fails abandoned uploads', async () => {
    const abandoned = await home.api({
      method: 'POST',
      url: '/items/uploads',
      ...as(alice),
      json: { filename: 'never.png', content_type: 'image/png', size: 100 },
    });
    const id: string = abandoned.body.item.id;
    await home.pglite.query(`UPDATE items SET created_at = now() - interval '2 hours' WHERE id = $1`, [id]);

    const report = await home.cleanup(scheduledEvent(), home.ctx('cleanup'));
    expect(report).toMatchObject({ store: 'dynamodb', abandoned_uploads_failed: 1 });
    const item = await home.api({ method: 'GET', url: `/items/${id}`, ...as(alice) });
    expect(item.body).toMatchObject({ status: 'failed', failed_step: 'process_image' });
  });

  it('chat-stream: a function URL request streams a turn (RESPONSE_STREAM), with the session kept in DynamoDB', async () => {
    const { handler } = (await import(/* @vite-ignore */ pathToFileURL(path.join(assets['chat-stream'], 'index.mjs')).href)) as {
      handler: unknown;
    };
    const url = await startFunctionUrl(handler, { functionName: 'collections-test-chat-stream' });
    try {
      model.reply({ tokens: ['Ichiran ', 'is ', 'in ', 'Fukuoka.'], delayMs: 20 });
      const res = await fetch(new URL('chat/stream', url.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${alice.accessToken}` },
        body: JSON.stringify({ message: 'Where is Ichiran?', session_id: 'artifact' }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const text = await res.text();
      expect(text).toMatch(/^event: session/m);
      expect(text).toMatch(/^event: token/m);
      expect(text).toContain('Fukuoka.');
      const sessions = await home.api({ method: 'GET', url: '/chat/sessions', ...as(alice) });
      expect(sessions.body.sessions.map((s: { session_id: string }) => s.session_id)).toContain('artifact');
    } finally {
      await url.close();
    }
  });
});
