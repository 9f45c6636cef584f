import { Arn, ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CHAT_TURN_TIMEOUT_MS, EVENT_PATTERNS, parameterPrefix, type LambdaName } from '../../src/contracts/aws.js';
import { objectKeys } from '../../src/domain/item.js';
import type { Auth } from './auth.js';
import type { EnvironmentConfig } from './config.js';
import type { Database } from './database.js';
import { databaseClientEnvironment, grantDatabaseConnect } from './database-access.js';
import { AppFunction, type BundlingMode, type LambdaEnvironment } from './functions.js';
import { acknowledge, wildcardResourceFinding } from './nag.js';
import type { Storage } from './storage.js';

/**
 * Compute: the api function and the pipeline (image-processor → analyzer → embedder, chained by
 * EventBridge rules on the default bus, patterns from EVENT_PATTERNS) plus the hourly cleanup.
 * The migrate function lives with the database (database.ts).
 *
 * Async delivery has two failure points, and both end in the function's SQS dead-letter queue
 * (SSE-SQS, TLS only, 14 days):
 * - EventBridge → Lambda (throttling, permissions): the rule target retries (`retryAttempts`,
 *   `maxEventAge`), then sends the event to the DLQ;
 * - the function itself throws: Lambda's async invocation retries twice (the pipeline's
 *   "retried with backoff"), then its on-failure destination puts the event in the same DLQ.
 * The DLQ-depth alarm (monitoring.ts) fires on either; `POST /items/{id}/retry` resumes an item.
 *
 * Functions that touch the database run in the VPC (private subnets, NAT egress for the AI
 * APIs); cleanup does too, since it fails direct uploads that never arrived (besides purging
 * chat sessions in DynamoDB and S3). Only migrate's custom resource provider stays outside.
 *
 * Permissions are written out per function (no wildcard actions, no `*` resource on data):
 * S3 object ARNs are narrowed to the key shapes each step touches (built from `objectKeys`),
 * Parameter Store to the environment's prefix, rds-db:connect to the app database user,
 * DynamoDB to the chat table and its index. No secret is an environment variable: API keys are
 * read at cold start from Parameter Store (`SSM_PARAMETER_PREFIX`); the database takes IAM
 * tokens signed per connection (no password at all).
 *
 * Cost: Lambda is pay-per-use (arm64 $0.0000133334/GB-s, 400,000 GB-s and 1M requests free per
 * month); 1,000 images/month through the pipeline is a few cents. EventBridge events from S3
 * and custom events: $1/million. SQS: free at this volume.
 */

export type PipelineFunction = 'image-processor' | 'analyzer' | 'embedder';
export type AsyncFunction = PipelineFunction | 'cleanup';
export type ComputeFunction = Exclude<LambdaName, 'migrate'>;

/** What the functions' environment variables say (values; the names come from LAMBDA_ENV). */
const EVENT_BUS_KIND = 'eventbridge';
const DEFAULT_BUS = 'default';
const AUTH_MODE = 'jwt';

export interface ComputeProps {
  readonly config: EnvironmentConfig;
  readonly bundling: BundlingMode;
  readonly database: Database;
  readonly storage: Storage;
  readonly auth: Auth;
}

export class Compute extends Construct {
  readonly functions: Record<ComputeFunction, AppFunction>;
  readonly deadLetterQueues: Record<AsyncFunction, sqs.Queue>;
  readonly rules: Record<AsyncFunction, events.Rule>;

  constructor(scope: Construct, id: string, props: ComputeProps) {
    super(scope, id);
    const { config, database, storage, auth } = props;
    const bucket = storage.bucket;
    const vpc = { vpc: database.vpc, securityGroup: database.functionSecurityGroup };
    const common: LambdaEnvironment = {
      env: config.name,
      eventBus: EVENT_BUS_KIND,
      eventBusName: DEFAULT_BUS,
      bucket: bucket.bucketName,
    };
    // IAM database auth as the app user: host, port, name and user, no secret (database-access.ts).
    const withDatabase: LambdaEnvironment = { ...common, ...databaseClientEnvironment(database.instance) };
    const prefix = parameterPrefix(config.name);

    const fn = (name: ComputeFunction, description: string, environment: LambdaEnvironment, inVpc: boolean) =>
      new AppFunction(this, toId(name), { name, config, bundling: props.bundling, description, environment, ...(inVpc && { vpc }) });

    // What a chat turn needs: the chat table, the API keys, and the app's own Cognito JWT check.
    const withChat: LambdaEnvironment = {
      ...withDatabase,
      chatTable: database.chatTable.tableName,
      parameterPrefix: prefix,
      authMode: AUTH_MODE,
      userPoolId: auth.userPool.userPoolId,
      userPoolClientId: auth.client.userPoolClientId,
    };

    this.functions = {
      // Behind API Gateway (30 s per request): chat turns capped at 25 s (CHAT_TURN_TIMEOUT_MS).
      api: fn(
        'api',
        'HTTP API (Hono): items, uploads, search, chat, admin',
        { ...withChat, chatTurnTimeoutMs: String(CHAT_TURN_TIMEOUT_MS.api) },
        true,
      ),
      // POST /chat/stream through its function URL (chat-stream.ts), streamed and not bound by the 30 s.
      'chat-stream': fn(
        'chat-stream',
        'POST /chat/stream through a function URL with response streaming',
        { ...withChat, chatTurnTimeoutMs: String(CHAT_TURN_TIMEOUT_MS['chat-stream']) },
        true,
      ),
      'image-processor': fn('image-processor', 'Pipeline: validate, orient, thumbnail, EXIF (S3 Object Created)', withDatabase, true),
      analyzer: fn('analyzer', 'Pipeline: vision model analysis (ImageProcessed)', { ...withDatabase, parameterPrefix: prefix }, true),
      embedder: fn(
        'embedder',
        'Pipeline: search document and embedding (AnalysisComplete)',
        { ...withDatabase, parameterPrefix: prefix },
        true,
      ),
      cleanup: fn(
        'cleanup',
        'Hourly: purge expired chat sessions, fail direct uploads that never arrived',
        { ...withDatabase, chatTable: database.chatTable.tableName },
        true,
      ),
    };
    const f = this.functions;

    // rds-db:connect as the app user: every function in the VPC.
    for (const name of ['api', 'image-processor', 'analyzer', 'embedder', 'cleanup'] as const)
      grantDatabaseConnect(f[name], database.instance);
    // API keys under the environment's prefix: the functions that call AI providers.
    for (const name of ['api', 'analyzer', 'embedder'] as const) grantParameters(f[name], prefix);
    // Pipeline events on the default bus.
    for (const name of ['api', 'image-processor', 'analyzer', 'embedder'] as const) grantPutEvents(f[name]);

    // S3, narrowed to the key shapes each step reads and writes (keys begin with the user id,
    // unknown at deploy time, hence the wildcards).
    const originals = bucket.arnForObjects(objectKeys.original('*', '*', '*'));
    const thumbnails = bucket.arnForObjects(objectKeys.thumbnail('*', '*'));
    const anyObject = bucket.arnForObjects('*');
    const perUser = 'Object keys begin with the user id, unknown at deploy time; the key shape is as narrow as the step allows.';
    allow(
      f.api,
      ['s3:GetObject', 's3:PutObject', 's3:PutObjectTagging', 's3:DeleteObject'],
      [anyObject],
      'The api reads, writes (tagged chat payloads) and deletes any object of its users: originals, thumbnails, chat payloads.',
    );
    allow(f['image-processor'], ['s3:GetObject'], [originals, thumbnails], perUser);
    allow(f['image-processor'], ['s3:PutObject', 's3:PutObjectTagging'], [thumbnails], perUser);
    allow(f.analyzer, ['s3:GetObject'], [originals, thumbnails], perUser);
    // s3:ListBucket turns a missing key into 404 (the adapters' "no such object") instead of 403.
    for (const name of ['api', 'image-processor', 'analyzer'] as const) allow(f[name], ['s3:ListBucket'], [bucket.bucketArn]);
    // Cleanup deletes the S3 payloads of expired chat sessions (keys defined by the chat adapter).
    allow(
      f.cleanup,
      ['s3:DeleteObject'],
      [anyObject],
      'Deletes the S3 payloads of expired chat sessions, whose keys begin with the user id.',
    );

    // DynamoDB: the chat table and its session index.
    const table = [database.chatTable.tableArn, `${database.chatTable.tableArn}/index/*`];
    const index = 'The session index (GSI) of the chat table.';
    allow(f.api, [...CHAT_TABLE_ACTIONS.api], table, index);
    allow(f.cleanup, [...CHAT_TABLE_ACTIONS.cleanup], table, index);

    // Bedrock, when the environment's chat / vision provider is bedrock.
    if (config.bedrock.chat) grantBedrock(f.api, ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream']);
    if (config.bedrock.vision) grantBedrock(f.analyzer, ['bedrock:InvokeModel']);

    // chat-stream: what a chat turn needs and nothing else (no pipeline events, no images): the
    // database, API keys, the chat table, the chat payloads it offloads to S3, Bedrock chat.
    const chatStream = f['chat-stream'];
    grantDatabaseConnect(chatStream, database.instance);
    grantParameters(chatStream, prefix);
    allow(chatStream, [...CHAT_TABLE_ACTIONS.api], table, index);
    allow(
      chatStream,
      ['s3:GetObject', 's3:PutObject', 's3:PutObjectTagging'],
      [bucket.arnForObjects('*/chat/*')],
      'Large chat checkpoints ({userId}/chat/{session}/…), whose keys begin with the user id.',
    );
    if (config.bedrock.chat) grantBedrock(chatStream, ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream']);

    // The pipeline and the schedule.
    this.deadLetterQueues = {} as Record<AsyncFunction, sqs.Queue>;
    this.rules = {} as Record<AsyncFunction, events.Rule>;
    const wire = (name: AsyncFunction, rule: events.RuleProps, asyncRetries: number) => {
      const dlq = new sqs.Queue(this, `${toId(name)}Dlq`, {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      acknowledge(dlq, [['AwsSolutions-SQS3', 'This queue is the dead-letter queue of the function; a DLQ of a DLQ is pointless.']]);
      f[name].function.configureAsyncInvoke({
        retryAttempts: asyncRetries,
        maxEventAge: Duration.hours(6),
        onFailure: new destinations.SqsDestination(dlq),
      });
      const r = new events.Rule(this, `${toId(name)}Rule`, {
        ...rule,
        targets: [new targets.LambdaFunction(f[name].function, { deadLetterQueue: dlq, retryAttempts: 8, maxEventAge: Duration.hours(2) })],
      });
      this.deadLetterQueues[name] = dlq;
      this.rules[name] = r;
    };
    // EVENT_PATTERNS use EventBridge's own field names ('detail-type'), which the Rule renders as is.
    const pattern = (p: object) => p as events.EventPattern;
    wire(
      'image-processor',
      {
        description: 'S3 Object Created (originals) → image-processor',
        eventPattern: pattern(EVENT_PATTERNS.imageProcessor(bucket.bucketName)),
      },
      2,
    );
    // Uploads through the API and retries of process_image reach the same function (and DLQ).
    new events.Rule(this, 'ImageProcessorFromApiRule', {
      description: 'ImageUploaded (API uploads, retries) → image-processor',
      eventPattern: pattern(EVENT_PATTERNS.imageProcessorFromApi(bucket.bucketName)),
      targets: [
        new targets.LambdaFunction(f['image-processor'].function, {
          deadLetterQueue: this.deadLetterQueues['image-processor'],
          retryAttempts: 8,
          maxEventAge: Duration.hours(2),
        }),
      ],
    });
    wire('analyzer', { description: 'ImageProcessed → analyzer', eventPattern: pattern(EVENT_PATTERNS.analyzer(bucket.bucketName)) }, 2);
    wire('embedder', { description: 'AnalysisComplete → embedder', eventPattern: pattern(EVENT_PATTERNS.embedder(bucket.bucketName)) }, 2);
    // A failed cleanup is simply redone by the next hourly run.
    wire(
      'cleanup',
      { description: 'Hourly cleanup: expired chat sessions, abandoned direct uploads', schedule: events.Schedule.rate(Duration.hours(1)) },
      0,
    );
  }
}

/** DynamoDB actions on the chat table, per function (what the DynamoDB chat store sends). */
export const CHAT_TABLE_ACTIONS = {
  api: [
    'dynamodb:BatchGetItem',
    'dynamodb:BatchWriteItem',
    'dynamodb:DeleteItem',
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'dynamodb:Query',
    'dynamodb:Scan',
    'dynamodb:UpdateItem',
  ],
  cleanup: ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'],
} as const;

/**
 * One policy statement on the function's role. A wildcard in a resource needs `wildcardReason`,
 * which becomes the acknowledgement of that cdk-nag finding.
 */
function allow(fn: AppFunction, actions: string[], resources: string[], wildcardReason?: string, conditions?: Record<string, unknown>) {
  fn.role.addToPolicy(new iam.PolicyStatement({ actions, resources, ...(conditions && { conditions }) }));
  for (const resource of resources) {
    const finding = wildcardResourceFinding(fn, resource);
    if (!finding) continue;
    if (!wildcardReason) throw new Error(`${fn.name}: ${actions.join(', ')} on a wildcard resource needs a reason`);
    acknowledge(fn.role, [[finding, wildcardReason]]);
  }
}

function grantPutEvents(fn: AppFunction) {
  const stack = Stack.of(fn);
  allow(fn, ['events:PutEvents'], [stack.formatArn({ service: 'events', resource: 'event-bus', resourceName: DEFAULT_BUS })]);
}

/** ssm:GetParameter(s)(ByPath) under the prefix, and decryption of SecureStrings through SSM. */
function grantParameters(fn: AppFunction, prefix: string) {
  const stack = Stack.of(fn);
  const path = prefix.replace(/^\/|\/$/g, ''); // "collections/dev"
  const parameter = (name: string) =>
    stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: name, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
  allow(
    fn,
    ['ssm:GetParametersByPath', 'ssm:GetParameters', 'ssm:GetParameter'],
    [parameter(path), parameter(`${path}/*`)],
    'The API keys under the environment prefix only; the operator names them (SECRET_NAMES).',
  );
  allow(
    fn,
    ['kms:Decrypt'],
    [stack.formatArn({ service: 'kms', resource: 'key', resourceName: '*' })],
    'Decrypts SecureStrings only through SSM (kms:ViaService); the id of the AWS-managed aws/ssm key is not known at synth.',
    { StringEquals: { 'kms:ViaService': `ssm.${stack.region}.amazonaws.com` } },
  );
}

function grantBedrock(fn: AppFunction, actions: string[]) {
  const stack = Stack.of(fn);
  allow(
    fn,
    actions,
    [
      // Cross-region inference profiles route to the foundation model in other regions.
      Arn.format({ service: 'bedrock', region: '*', account: '', resource: 'foundation-model', resourceName: '*' }, stack),
      stack.formatArn({ service: 'bedrock', resource: 'inference-profile', resourceName: '*' }),
    ],
    'The model is chosen at run time (CHAT_MODEL / VISION_MODEL parameters); only the invoke actions are granted.',
  );
}

/** 'image-processor' → 'ImageProcessor' (construct ids). */
export function toId(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase());
}
