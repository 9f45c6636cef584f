import { EVENT_SOURCES } from '../ports/event-bus.js';

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
  api: { entry: 'src/lambda/api.ts' },
  'image-processor': { entry: 'src/lambda/image-processor.ts' },
  analyzer: { entry: 'src/lambda/analyzer.ts' },
  embedder: { entry: 'src/lambda/embedder.ts' },
  cleanup: { entry: 'src/lambda/cleanup.ts' },
  /** Runs the SQL migrations during a deployment (a CloudFormation custom resource). */
  migrate: { entry: 'src/lambda/migrate.ts' },
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
  /** Secrets Manager secret of the RDS credentials (host, port, username, password, dbname). */
  databaseSecretArn: 'DATABASE_SECRET_ARN',
  chatTable: 'CHAT_TABLE',
  /** Parameter Store prefix of the API keys, e.g. /collections/dev/ (SecureString, cached reads). */
  parameterPrefix: 'SSM_PARAMETER_PREFIX',
  authMode: 'AUTH_MODE',
  userPoolId: 'COGNITO_USER_POOL_ID',
  userPoolClientId: 'COGNITO_CLIENT_ID',
} as const;

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
  imageProcessorFromApi: () => ({ source: [EVENT_SOURCES.ImageUploaded], 'detail-type': ['ImageUploaded'] }),
  analyzer: () => ({ source: [EVENT_SOURCES.ImageProcessed], 'detail-type': ['ImageProcessed'] }),
  embedder: () => ({ source: [EVENT_SOURCES.AnalysisComplete], 'detail-type': ['AnalysisComplete'] }),
} as const;
