import { EVENT_SOURCES } from './pipeline-events.js';

/**
 * What the CDK app (infra/) and the Lambda handlers (src/lambda/) must agree on, written once:
 * the functions and their entry files, the environment variables the stack sets and the
 * handlers read, the EventBridge patterns that route events to handlers, and the Parameter
 * Store prefix of secrets. Tests check the stack against these and the handlers' events
 * against the patterns, so neither side keeps a second copy of a string.
 */

export const ENVIRONMENTS = ['dev', 'test', 'prod'] as const;
export type DeploymentEnv = (typeof ENVIRONMENTS)[number];

/** Function name → its entry file (relative to the repository root) and exported handler. */
export const LAMBDA_FUNCTIONS = {
  api: { entry: 'src/lambda/handlers/api.ts' },
  'image-processor': { entry: 'src/lambda/handlers/image-processor.ts' },
  analyzer: { entry: 'src/lambda/handlers/analyzer.ts' },
  embedder: { entry: 'src/lambda/handlers/embedder.ts' },
  cleanup: { entry: 'src/lambda/handlers/cleanup.ts' },
  /** Runs the SQL migrations during a deployment (a CloudFormation custom resource). */
  migrate: { entry: 'src/lambda/handlers/migrate.ts' },
  /** POST /chat/stream through a Lambda function URL with response streaming (no 30 s limit). */
  'chat-stream': { entry: 'src/lambda/handlers/chat-stream.ts' },
} as const;
export type LambdaName = keyof typeof LAMBDA_FUNCTIONS;

/** Environment variables the stack sets on the functions (values are never secrets). */
export const LAMBDA_ENV = {
  /** dev | test | prod */
  env: 'COLLECTIONS_ENV',
  /** `eventbridge` on AWS */
  eventBus: 'EVENT_BUS',
  eventBusName: 'EVENT_BUS_NAME',
  bucket: 'S3_BUCKET',
  /**
   * Secrets Manager secret of the RDS master credentials (host, port, username, password,
   * dbname): the migrate function only; the other functions use IAM database auth (below).
   */
  databaseSecretArn: 'DATABASE_SECRET_ARN',
  /** RDS endpoint, port and database name (not secret): IAM database authentication. */
  databaseHost: 'DATABASE_HOST',
  databasePort: 'DATABASE_PORT',
  databaseName: 'DATABASE_NAME',
  /** The application's database user (APP_DATABASE_USER): functions connect as it; migrate creates it. */
  databaseUser: 'DATABASE_USER',
  chatTable: 'CHAT_TABLE',
  /** Parameter Store prefix of the API keys, e.g. /collections/dev/ (SecureString, cached reads). */
  parameterPrefix: 'SSM_PARAMETER_PREFIX',
  authMode: 'AUTH_MODE',
  userPoolId: 'COGNITO_USER_POOL_ID',
  userPoolClientId: 'COGNITO_CLIENT_ID',
  /** How long a chat turn may run (CHAT_TURN_TIMEOUT_MS values below). */
  chatTurnTimeoutMs: 'CHAT_TURN_TIMEOUT_MS',
} as const;

/**
 * Chat turn limits per function. API Gateway's HTTP API cuts every integration at 30 s with a
 * bare 503, so the api function ends a turn at 25 s (room for the cold start and the checkpoint
 * write) with its own 504 `chat_timeout`. The chat-stream function answers through a function
 * URL, which has no such limit: its turn may run 90 s, inside its 120 s function timeout.
 */
export const CHAT_TURN_TIMEOUT_MS = { api: 25_000, 'chat-stream': 90_000 } as const;

/**
 * The database user the functions connect as, with IAM tokens (`GRANT rds_iam`, no password);
 * created by the migrate function, and named in each function's `rds-db:connect` grant.
 */
export const APP_DATABASE_USER = 'collections_app';
/**
 * Connections one Lambda execution environment may open (its pg pool's `max`): the stack's
 * connection budget (infra/lib/config.ts) multiplies reserved concurrency by it.
 */
export const LAMBDA_POOL_SIZE = 2;

/** The Parameter Store path of a secret: `/collections/{env}/{NAME}`, e.g. ANTHROPIC_API_KEY. */
export const parameterPrefix = (env: DeploymentEnv) => `/collections/${env}/`;
export const SECRET_NAMES = ['ANTHROPIC_API_KEY', 'OPENAI_API_KEY', 'VOYAGE_API_KEY', 'TAVILY_API_KEY', 'LANGSMITH_API_KEY'] as const;
/**
 * Settings read from the same prefix, so choosing a provider or an admin is a parameter change
 * and a cold start, not a redeploy: e.g. VISION_PROVIDER=bedrock and CHAT_PROVIDER=bedrock (no
 * key; the stack grants Bedrock when cdk.context.json says so), ADMIN_USER_IDS=<Cognito sub>.
 */
export const SETTING_NAMES = [
  'VISION_PROVIDER',
  'VISION_MODEL',
  'CHAT_PROVIDER',
  'CHAT_MODEL',
  'EMBEDDING_PROVIDER',
  'EMBEDDING_MODEL',
  'BEDROCK_REGION',
  'ADMIN_USER_IDS',
] as const;
/** Everything the functions take from Parameter Store, and the ops secrets commands move. */
export const PARAMETER_NAMES = [...SECRET_NAMES, ...SETTING_NAMES] as const;

/**
 * What the app's pipeline events name in `resources`: the environment's bucket, as an ARN. All
 * environments of an account share the default bus, so each rule matches its own bucket there
 * (S3's events name it in `detail.bucket.name`, the app's own in `resources`): dev's analyzer
 * never receives test's ImageProcessed. The partition comes from the region; the patterns accept
 * any partition, so a region the guess gets wrong still matches.
 */
export function pipelineEventResources(bucketName: string, region = ''): string[] {
  const partition = region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  return [`arn:${partition}:s3:::${bucketName}`];
}
const ofBucket = (bucketName: string) => ({ resources: [{ wildcard: `arn:*:s3:::${bucketName}` }] });

/** EventBridge patterns of the pipeline's rules (event detail shapes: src/ports/event-bus.ts). */
export const EVENT_PATTERNS = {
  /** S3 "Object Created" for an original (`{userId}/originals/{itemId}.{ext}`). */
  imageProcessor: (bucketName: string) => ({
    source: ['aws.s3'],
    'detail-type': ['Object Created'],
    detail: { bucket: { name: [bucketName] }, object: { key: [{ wildcard: '*/originals/*' }] } },
  }),
  /**
   * ImageUploaded from the API: an upload through POST /items (the API stores the original and
   * publishes it) and POST /items/{id}/retry of a failed process_image. For an API upload S3's
   * own event arrives too; the second of the two finds the step done and does nothing.
   */
  imageProcessorFromApi: (bucketName: string) => ({
    source: [EVENT_SOURCES.ImageUploaded],
    'detail-type': ['ImageUploaded'],
    ...ofBucket(bucketName),
  }),
  analyzer: (bucketName: string) => ({
    source: [EVENT_SOURCES.ImageProcessed],
    'detail-type': ['ImageProcessed'],
    ...ofBucket(bucketName),
  }),
  embedder: (bucketName: string) => ({
    source: [EVENT_SOURCES.AnalysisComplete],
    'detail-type': ['AnalysisComplete'],
    ...ofBucket(bucketName),
  }),
} as const;
