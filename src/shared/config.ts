import path from 'node:path';
import { z } from 'zod';

/**
 * Every setting Collections reads, with its default. Names follow DESIGN.md §8; the README's
 * configuration table lists the same names. Keys are read here and nowhere else.
 */
const bool = z
  .string()
  .optional()
  .transform((v) => v !== undefined && ['1', 'true', 'yes', 'on'].includes(v.toLowerCase()));
const optional = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== '' ? v.trim() : undefined));
const int = (def: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return def;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) {
        ctx.addIssue({ code: 'custom', message: `expected a non-negative integer, got "${v}"` });
        return z.NEVER;
      }
      return n;
    });

const float = (def: number | undefined) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return def;
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) {
        ctx.addIssue({ code: 'custom', message: `expected a non-negative number, got "${v}"` });
        return z.NEVER;
      }
      return n;
    });

const EnvSchema = z.object({
  PORT: int(8787),
  HOST: z.string().default('127.0.0.1'),
  COLLECTIONS_DATA_DIR: z.string().default('./data'),
  DATABASE_URL: optional,
  /** AWS: Secrets Manager secret of the RDS credentials; used when DATABASE_URL is not set. */
  DATABASE_SECRET_ARN: optional,
  /**
   * AWS: RDS with IAM database authentication (a token per connection, no password), used when
   * neither DATABASE_URL nor DATABASE_SECRET_ARN is set; DATABASE_USER is also the user the
   * migrate function creates.
   */
  DATABASE_HOST: optional,
  DATABASE_PORT: int(5432),
  DATABASE_NAME: z.string().default('collections'),
  DATABASE_USER: optional,
  COLLECTIONS_ENV: z.string().default('local'),

  EVENT_BUS: z.enum(['local', 'eventbridge']).default('local'),
  EVENT_BUS_NAME: z.string().default('default'),
  /** AWS: Parameter Store path of the API keys (SecureString), read by the Lambdas at cold start. */
  SSM_PARAMETER_PREFIX: optional,

  OBJECT_STORE: z.enum(['filesystem', 's3']).optional(),
  S3_BUCKET: optional,
  S3_REGION: optional,
  S3_ENDPOINT: optional,
  S3_FORCE_PATH_STYLE: bool,

  VISION_PROVIDER: z.enum(['local', 'anthropic', 'openai', 'bedrock']).optional(),
  VISION_MODEL: optional,
  EMBEDDING_PROVIDER: z.enum(['local', 'voyage', 'openai']).optional(),
  EMBEDDING_MODEL: optional,
  CHAT_PROVIDER: z.enum(['none', 'anthropic', 'openai', 'bedrock', 'ollama']).optional(),
  CHAT_MODEL: optional,
  BEDROCK_REGION: optional,
  BEDROCK_ENDPOINT: optional,
  OLLAMA_BASE_URL: z.string().default('http://127.0.0.1:11434'),
  TAVILY_API_KEY: optional,
  TAVILY_BASE_URL: z.string().default('https://api.tavily.com'),
  CHAT_STORE: z.enum(['sql', 'dynamodb']).optional(),
  CHAT_TABLE: optional,
  DYNAMODB_ENDPOINT: optional,
  CHAT_SESSION_TTL_HOURS: float(4),
  CHAT_TURN_TIMEOUT_MS: int(90_000),
  CHAT_MAX_TOOL_CALLS: int(8),
  ANTHROPIC_API_KEY: optional,
  ANTHROPIC_BASE_URL: optional,
  OPENAI_API_KEY: optional,
  OPENAI_BASE_URL: optional,
  VOYAGE_API_KEY: optional,
  VOYAGE_BASE_URL: optional,
  PROVIDER_TIMEOUT_MS: int(120_000),

  LANGSMITH_TRACING: bool,
  LANGSMITH_API_KEY: optional,
  LANGSMITH_PROJECT: optional,

  AUTH_MODE: z.enum(['local', 'jwt']).default('local'),
  LOCAL_USER_ID: z.string().default('local'),
  ADMIN_USER_IDS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    ),
  JWT_ISSUER: optional,
  JWT_JWKS_URL: optional,
  JWT_AUDIENCE: optional,
  COGNITO_USER_POOL_ID: optional,
  COGNITO_CLIENT_ID: optional,
  COGNITO_ENDPOINT: optional,

  MAX_UPLOAD_BYTES: int(25 * 1024 * 1024),
  MAX_IMAGE_PIXELS: int(100_000_000),
  PIPELINE_CONCURRENCY: int(2),
  API_MAX_CONCURRENT: int(1),
  API_MAX_QUEUE_WAIT_MS: int(250),
  PIPELINE_MAX_ATTEMPTS: int(3),
  PIPELINE_RETRY_BASE_MS: int(1000),

  SEARCH_RRF_K: float(60),
  SEARCH_BM25_WEIGHT: float(1),
  SEARCH_VECTOR_WEIGHT: float(1),
  SEARCH_HEADLINE_BOOST: float(0.5),
  SEARCH_COVERAGE_BOOST: float(1),
  SEARCH_PLACE_BOOST: float(1),
  SEARCH_VECTOR_LIFT: float(1),
  SEARCH_BM25_K1: float(1.2),
  SEARCH_BM25_B: float(0.75),
  SEARCH_ALT_WEIGHT: float(0.5),
  SEARCH_ALT_COVERAGE: float(0.25),
  SEARCH_REQUEST_WORD_WEIGHT: float(0.25),
  SEARCH_CANDIDATES: int(100),
  SEARCH_CANDIDATE_POOL: int(1000),
  SEARCH_CANDIDATE_POOL_SHARE: float(0.04),
  SEARCH_SHORTLIST: int(3),
  SEARCH_FIELD_WEIGHTS: z
    .string()
    .default('3,2,1.5,1.5')
    .transform((v, ctx) => {
      const n = v.split(',').map(Number);
      if (n.length !== 4 || n.some((x) => !Number.isFinite(x) || x < 0)) {
        ctx.addIssue({ code: 'custom', message: 'expected four non-negative numbers "A,B,C,D"' });
        return z.NEVER;
      }
      return { A: n[0]!, B: n[1]!, C: n[2]!, D: n[3]! };
    }),
  SEARCH_DOC_MIN_BM25_COVERAGE: float(0.25),
  SEARCH_MIN_BM25_COVERAGE: float(0.5),
  SEARCH_MIN_VECTOR_SCORE: float(undefined),
  SEARCH_DOC_MIN_VECTOR_SCORE: float(undefined),
  SEARCH_MIN_HYBRID_EVIDENCE: float(undefined),

  AWS_REGION: optional,

  GIT_SHA: optional,
  GIT_TAG: optional,
  BUILD_TIME: optional,
});

export type Env = z.input<typeof EnvSchema>;

export function loadConfig(env: Record<string, string | undefined> = process.env) {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.COLLECTIONS_DATA_DIR);

  // A provider with a key is used when none is named; with no key, everything stays offline.
  const vision = e.VISION_PROVIDER ?? (e.ANTHROPIC_API_KEY ? 'anthropic' : e.OPENAI_API_KEY ? 'openai' : 'local');
  const embedding = e.EMBEDDING_PROVIDER ?? (e.VOYAGE_API_KEY ? 'voyage' : e.OPENAI_API_KEY ? 'openai' : 'local');

  return {
    env: e.COLLECTIONS_ENV,
    server: {
      port: e.PORT,
      host: e.HOST,
      /** The laptop server's queue for reads and searches (src/api/admission.ts). */
      admission: { concurrency: Math.max(1, e.API_MAX_CONCURRENT), maxWaitMs: Math.max(0, e.API_MAX_QUEUE_WAIT_MS) },
    },
    dataDir,
    database: e.DATABASE_URL
      ? ({ kind: 'postgres', url: e.DATABASE_URL } as const)
      : ({ kind: 'pglite', dir: path.join(dataDir, 'pg') } as const),
    /**
     * Where the AWS home keeps secrets (src/lambda/runtime/environment.ts reads them at cold start and
     * loads the configuration again with them): API keys under a Parameter Store prefix, and the
     * RDS credentials in Secrets Manager (used when DATABASE_URL is not set).
     */
    secretSources: {
      parameterPrefix: e.SSM_PARAMETER_PREFIX,
      databaseSecretArn: e.DATABASE_SECRET_ARN,
      databaseIam:
        e.DATABASE_HOST && e.DATABASE_USER
          ? { host: e.DATABASE_HOST, port: e.DATABASE_PORT, database: e.DATABASE_NAME, user: e.DATABASE_USER, region: e.AWS_REGION }
          : undefined,
    },
    /** The application's database user (IAM auth), which the migrate function creates. */
    databaseUser: e.DATABASE_USER,
    eventBus:
      e.EVENT_BUS === 'eventbridge'
        ? ({ kind: 'eventbridge', busName: e.EVENT_BUS_NAME, region: e.AWS_REGION ?? e.S3_REGION } as const)
        : ({ kind: 'local' } as const),
    objectStore:
      (e.OBJECT_STORE ?? (e.S3_BUCKET ? 's3' : 'filesystem')) === 's3'
        ? ({
            kind: 's3',
            bucket: e.S3_BUCKET ?? '',
            // On Lambda AWS_REGION is the function's region, where the stack puts the bucket.
            region: e.S3_REGION ?? e.AWS_REGION ?? 'us-east-1',
            endpoint: e.S3_ENDPOINT,
            forcePathStyle: e.S3_FORCE_PATH_STYLE,
          } as const)
        : ({ kind: 'filesystem', dir: path.join(dataDir, 'objects') } as const),
    vision: {
      provider: vision,
      model: e.VISION_MODEL,
      anthropicApiKey: e.ANTHROPIC_API_KEY,
      anthropicBaseUrl: e.ANTHROPIC_BASE_URL,
      openaiApiKey: e.OPENAI_API_KEY,
      openaiBaseUrl: e.OPENAI_BASE_URL,
      /** Bedrock needs no key: the Lambda role's credentials (AWS_REGION when unset). */
      bedrockRegion: e.BEDROCK_REGION ?? e.AWS_REGION ?? e.S3_REGION,
      bedrockEndpoint: e.BEDROCK_ENDPOINT,
      timeoutMs: e.PROVIDER_TIMEOUT_MS,
    },
    embedding: {
      provider: embedding,
      model: e.EMBEDDING_MODEL,
      voyageApiKey: e.VOYAGE_API_KEY,
      voyageBaseUrl: e.VOYAGE_BASE_URL,
      openaiApiKey: e.OPENAI_API_KEY,
      openaiBaseUrl: e.OPENAI_BASE_URL,
      timeoutMs: e.PROVIDER_TIMEOUT_MS,
    },
    chat: {
      // No key, no chat model: agentic search and answers say so instead of failing.
      provider: e.CHAT_PROVIDER ?? (e.ANTHROPIC_API_KEY ? 'anthropic' : e.OPENAI_API_KEY ? 'openai' : 'none'),
      model: e.CHAT_MODEL,
      anthropicApiKey: e.ANTHROPIC_API_KEY,
      anthropicBaseUrl: e.ANTHROPIC_BASE_URL,
      openaiApiKey: e.OPENAI_API_KEY,
      openaiBaseUrl: e.OPENAI_BASE_URL,
      /** Bedrock needs no key: the Lambda role's credentials (AWS_REGION when unset). */
      bedrockRegion: e.BEDROCK_REGION ?? e.AWS_REGION ?? e.S3_REGION,
      bedrockEndpoint: e.BEDROCK_ENDPOINT,
      ollamaBaseUrl: e.OLLAMA_BASE_URL,
      timeoutMs: e.PROVIDER_TIMEOUT_MS,
    },
    chatSessions: {
      // DynamoDB on AWS (where CHAT_TABLE names the table), the embedded database elsewhere.
      store: e.CHAT_STORE ?? (e.CHAT_TABLE ? 'dynamodb' : 'sql'),
      table: e.CHAT_TABLE,
      dynamodbEndpoint: e.DYNAMODB_ENDPOINT,
      region: e.AWS_REGION ?? e.S3_REGION,
      ttlMs: Math.round(Math.max(0.01, e.CHAT_SESSION_TTL_HOURS!) * 3600_000),
      turnTimeoutMs: Math.max(1000, e.CHAT_TURN_TIMEOUT_MS),
      /** Not an env setting: a home with a reason adds it to a timed-out turn's 504 (the api Lambda: where longer turns go). */
      timeoutHint: undefined as string | undefined,
      maxToolCalls: Math.max(1, e.CHAT_MAX_TOOL_CALLS),
      tavilyApiKey: e.TAVILY_API_KEY,
      tavilyBaseUrl: e.TAVILY_BASE_URL,
    },
    tracing: {
      enabled: e.LANGSMITH_TRACING && !!e.LANGSMITH_API_KEY,
      project: e.LANGSMITH_PROJECT,
    },
    auth: {
      mode: e.AUTH_MODE,
      localUserId: e.LOCAL_USER_ID,
      /** Who may call /admin: these user ids; in local mode also the local user. */
      adminUserIds: e.AUTH_MODE === 'local' ? [...new Set([e.LOCAL_USER_ID, ...e.ADMIN_USER_IDS])] : e.ADMIN_USER_IDS,
      issuer: e.JWT_ISSUER,
      jwksUrl: e.JWT_JWKS_URL,
      audience: e.JWT_AUDIENCE,
      cognitoUserPoolId: e.COGNITO_USER_POOL_ID,
      cognitoClientId: e.COGNITO_CLIENT_ID,
      /** A Cognito-compatible server (cognito-local) instead of AWS: issuer `{endpoint}/{poolId}`. */
      cognitoEndpoint: e.COGNITO_ENDPOINT,
    },
    limits: { maxUploadBytes: e.MAX_UPLOAD_BYTES, maxImagePixels: e.MAX_IMAGE_PIXELS },
    pipeline: {
      concurrency: Math.max(1, e.PIPELINE_CONCURRENCY),
      maxAttempts: Math.max(1, e.PIPELINE_MAX_ATTEMPTS),
      retryBaseMs: e.PIPELINE_RETRY_BASE_MS,
    },
    search: {
      bm25: {
        k1: e.SEARCH_BM25_K1!,
        b: e.SEARCH_BM25_B!,
        weights: e.SEARCH_FIELD_WEIGHTS,
        altWeight: e.SEARCH_ALT_WEIGHT!,
        altCoverage: e.SEARCH_ALT_COVERAGE!,
        requestWordWeight: e.SEARCH_REQUEST_WORD_WEIGHT!,
        pool: Math.max(1, e.SEARCH_CANDIDATE_POOL),
        poolShare: Math.max(0, e.SEARCH_CANDIDATE_POOL_SHARE!),
        shortlist: Math.max(1, e.SEARCH_SHORTLIST),
      },
      fusion: {
        rrfK: e.SEARCH_RRF_K!,
        bm25Weight: e.SEARCH_BM25_WEIGHT!,
        vectorWeight: e.SEARCH_VECTOR_WEIGHT!,
        headlineBoost: e.SEARCH_HEADLINE_BOOST!,
        coverageBoost: e.SEARCH_COVERAGE_BOOST!,
        placeBoost: e.SEARCH_PLACE_BOOST!,
        vectorLift: e.SEARCH_VECTOR_LIFT!,
      },
      candidates: Math.max(10, e.SEARCH_CANDIDATES),
      minBm25Coverage: e.SEARCH_MIN_BM25_COVERAGE!,
      docMinBm25Coverage: e.SEARCH_DOC_MIN_BM25_COVERAGE!,
      /** undefined: the embedder's own default (cosine scales differ between models). */
      minVectorScore: e.SEARCH_MIN_VECTOR_SCORE,
      docMinVectorScore: e.SEARCH_DOC_MIN_VECTOR_SCORE,
      minHybridEvidence: e.SEARCH_MIN_HYBRID_EVIDENCE,
    },
    build: { gitSha: e.GIT_SHA, gitTag: e.GIT_TAG, buildTime: e.BUILD_TIME },
  };
}

export type Config = ReturnType<typeof loadConfig>;
export type VisionConfig = Config['vision'];
export type EmbeddingConfig = Config['embedding'];
export type ChatConfig = Config['chat'];
export type ChatSessionsConfig = Config['chatSessions'];
