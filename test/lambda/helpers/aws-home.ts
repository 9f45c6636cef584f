/**
 * The AWS home on loopback, for the Lambda handlers: Postgres (PGlite with pgvector behind its
 * wire-protocol socket server, reached through DATABASE_URL as RDS would be), S3 (s3rver),
 * Parameter Store and EventBridge (the AWS JSON server; PutEvents are captured), an OpenAI-
 * compatible vision model (the fake model server), and optionally Cognito (cognito-local).
 * The handlers are the real modules, configured only through the environment, as on Lambda.
 */
import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { vi } from 'vitest';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LAMBDA_FUNCTIONS, parameterPrefix, type LambdaName } from '../../../src/contracts/aws.js';
import { bundleFunction } from '../../../infra/lib/bundle.js';
import type { AnalysisInput } from '../../../src/domain/analysis.js';
import type { handler as ApiHandler } from '../../../src/lambda/handlers/api.js';
import type { handler as ImageProcessor } from '../../../src/lambda/handlers/image-processor.js';
import type { handler as Analyzer } from '../../../src/lambda/handlers/analyzer.js';
import type { handler as Embedder } from '../../../src/lambda/handlers/embedder.js';
import type { handler as Migrate } from '../../../src/lambda/handlers/migrate.js';
import type { handler as Cleanup } from '../../../src/lambda/handlers/cleanup.js';
import { FakeModelServer } from '../../vision/fake-model-server.js';
import { startAwsJsonServer, type AwsJsonServer, type PutEventsEntry } from '../../aws/helpers/aws-json-server.js';
import { startCognitoLocal, type CognitoLocal } from '../../aws/helpers/cognito-local.js';
import { customResourceEvent, delivered, httpApiEvent, lambdaContext, type HttpRequest } from '../../aws/helpers/events.js';
import { startLocalS3, type LocalS3 } from '../../aws/helpers/s3.js';

export const OPENAI_KEY = 'sk-test-from-parameter-store';
export const ANALYSIS: AnalysisInput = {
  category: 'Food',
  subcategories: ['Ramen'],
  headline: 'Ichiran Ramen in Fukuoka',
  summary: 'A ramen shop in Fukuoka open until late.',
  media_metadata: { original_poster: null, tagged_accounts: [], location_tags: ['Fukuoka'], audio_source: null, hashtags: ['#ramen'] },
  image_details: {
    extracted_text: ['Ichiran Ramen', 'Open 10:00 - 22:00'],
    objects: ['bowl'],
    themes: ['food'],
    emotions: [],
    vibes: ['cozy'],
    likely_source: 'TikTok',
    key_interest: 'Ichiran Ramen',
    visual_hierarchy: [],
  },
};

export interface AwsHome {
  s3: LocalS3;
  aws: AwsJsonServer;
  vision: FakeModelServer;
  cognito: CognitoLocal | null;
  pglite: PGlite;
  /** The API handler with an API Gateway HTTP API event; JSON bodies parsed. */
  api(req: HttpRequest): Promise<{ status: number; body: any }>;
  processImage: typeof ImageProcessor;
  analyze: typeof Analyzer;
  embed: typeof Embedder;
  cleanup: typeof Cleanup;
  migrate: typeof Migrate;
  /** Closes the warm runtime: the next invocation is a cold start (with the environment as it is then). */
  coldStart(): Promise<void>;
  ctx(name: string): Context;
  /** PutEvents entries of one detail type for one item, in order. */
  published(type: string, itemId: string): PutEventsEntry[];
  /** The last entry of that type for the item, as the rule delivers it. */
  deliveredLast(type: string, itemId: string): ReturnType<typeof delivered>;
  stop(): Promise<void>;
}

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * Where the handlers come from: the TypeScript sources; `{ dir }`, the files `cdk deploy`
 * uploads built by the stack's bundler into `dir` (sharp linked from node_modules); or
 * `{ assets }`, directories of a synthesized cloud assembly (cdk.out/asset.<hash>), one per
 * function, loaded as they are.
 */
export type HandlerSource = { dir: string } | { assets: Record<LambdaName, string> };

async function loadHandlers(bundled?: HandlerSource) {
  if (!bundled) {
    return {
      api: (await import('../../../src/lambda/handlers/api.js')).handler,
      imageProcessor: (await import('../../../src/lambda/handlers/image-processor.js')).handler,
      analyzer: (await import('../../../src/lambda/handlers/analyzer.js')).handler,
      embedder: (await import('../../../src/lambda/handlers/embedder.js')).handler,
      cleanup: (await import('../../../src/lambda/handlers/cleanup.js')).handler,
      migrate: (await import('../../../src/lambda/handlers/migrate.js')).handler,
    };
  }
  const directory = (name: LambdaName) => {
    if ('assets' in bundled) return bundled.assets[name];
    const outdir = path.join(bundled.dir, name);
    bundleFunction(REPO_ROOT, LAMBDA_FUNCTIONS[name].entry, outdir, { dir: path.join(REPO_ROOT, 'node_modules'), link: true });
    return outdir;
  };
  const load = async (name: LambdaName) =>
    ((await import(/* @vite-ignore */ pathToFileURL(path.join(directory(name), 'index.mjs')).href)) as { handler: unknown }).handler;
  return {
    api: (await load('api')) as typeof ApiHandler,
    imageProcessor: (await load('image-processor')) as typeof ImageProcessor,
    analyzer: (await load('analyzer')) as typeof Analyzer,
    embedder: (await load('embedder')) as typeof Embedder,
    cleanup: (await load('cleanup')) as typeof Cleanup,
    migrate: (await load('migrate')) as typeof Migrate,
  };
}

export async function startAwsHome(
  options: { cognito?: boolean; env?: Record<string, string>; bundled?: HandlerSource } = {},
): Promise<AwsHome> {
  const [s3, aws, vision, cognito, pglite] = await Promise.all([
    startLocalS3(),
    startAwsJsonServer(),
    new FakeModelServer('openai').start(),
    options.cognito ? startCognitoLocal() : null,
    PGlite.create({ extensions: { vector, btree_gin } }),
  ]);
  vision.reply({ text: JSON.stringify(ANALYSIS) });
  const socket = new PGLiteSocketServer({ db: pglite, port: 0, host: '127.0.0.1', maxConnections: 8 });
  await socket.start();
  const dbPort = Number(socket.getServerConn().split(':').pop());
  const prefix = parameterPrefix('test');
  aws.parameters.set(`${prefix}OPENAI_API_KEY`, { type: 'SecureString', value: OPENAI_KEY });

  const env: Record<string, string> = {
    COLLECTIONS_ENV: 'test',
    EVENT_BUS: 'eventbridge',
    EVENT_BUS_NAME: 'collections-test',
    ...s3.env,
    DATABASE_URL: `postgres://postgres:postgres@127.0.0.1:${dbPort}/postgres`,
    SSM_PARAMETER_PREFIX: prefix,
    AWS_ENDPOINT_URL_SSM: aws.endpoint,
    AWS_ENDPOINT_URL_EVENTBRIDGE: aws.endpoint,
    AWS_ACCESS_KEY_ID: 'S3RVER', // s3rver's own credentials; the JSON server takes any signature
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: 'us-east-1',
    VISION_PROVIDER: 'openai',
    VISION_MODEL: 'gpt-4o',
    OPENAI_BASE_URL: vision.baseUrl,
    EMBEDDING_PROVIDER: 'local',
    CHAT_PROVIDER: 'none',
    PIPELINE_MAX_ATTEMPTS: '3',
    LANGSMITH_TRACING: 'false',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    ...(cognito ? cognito.env : { AUTH_MODE: 'local' }),
    ...options.env,
  };
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  // Loaded after the environment is set, as Lambda loads a function's modules.
  const { api: apiHandler, imageProcessor, analyzer, embedder, cleanup, migrate: migrateHandler } = await loadHandlers(options.bundled);
  // Each bundle has its own copy of the runtime cache: the sources' disposeRuntime cannot reach
  // them, so a bundled home has no cold-start reset (its tests do not need one).
  const { disposeRuntime } = await import('../../../src/lambda/runtime/runtime.js');

  const ctx = (name: string) => lambdaContext(`collections-test-${name}`);
  // The schema, as a deployment creates it: the migrate custom resource.
  await migrateHandler(customResourceEvent('Create'), ctx('migrate'));

  const published = (type: string, itemId: string) =>
    aws.events.filter((e) => e.DetailType === type && JSON.parse(e.Detail).item_id === itemId);

  return {
    s3,
    aws,
    vision,
    cognito,
    pglite,
    async api(req) {
      const res = (await apiHandler(httpApiEvent(req), ctx('api'))) as APIGatewayProxyStructuredResultV2;
      const isJson = String(res.headers?.['content-type'] ?? '').includes('json');
      return { status: res.statusCode ?? 0, body: isJson && res.body ? JSON.parse(res.body) : res.body };
    },
    processImage: imageProcessor,
    analyze: analyzer,
    embed: embedder,
    cleanup,
    migrate: migrateHandler,
    coldStart: disposeRuntime,
    ctx,
    published,
    deliveredLast(type, itemId) {
      const entry = published(type, itemId).at(-1);
      if (!entry) throw new Error(`no ${type} was published for ${itemId}`);
      return delivered(entry);
    },
    async stop() {
      await disposeRuntime();
      await socket.stop();
      await pglite.close();
      await Promise.all([s3.stop(), aws.close(), vision.stop(), cognito?.stop()]);
      vi.unstubAllEnvs();
    },
  };
}

/** The claims API Gateway's JWT authorizer passes on for a token (it has verified it). */
export function claimsOf(token: string): Record<string, string | number> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
}
