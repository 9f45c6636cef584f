/**
 * Real event shapes, as AWS delivers them to a handler (field names and formats from the AWS
 * documentation and @types/aws-lambda): EventBridge envelopes around S3 "Object Created" and the
 * pipeline's own events, API Gateway HTTP API (payload 2.0) requests with a JWT authorizer,
 * scheduled events and CloudFormation custom resource requests, plus a Lambda context.
 */
import { randomUUID } from 'node:crypto';
import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  CloudFormationCustomResourceEvent,
  Context,
  EventBridgeEvent,
  S3ObjectCreatedNotificationEvent,
  ScheduledEvent,
} from 'aws-lambda';
import type { PutEventsEntry } from './aws-json-server.js';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
/** EventBridge writes times to the second: 2026-12-01T03:26:00Z. */
const ebTime = (d = new Date()) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function lambdaContext(functionName: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `2026/12/01/[$LATEST]${randomUUID().replace(/-/g, '')}`,
    getRemainingTimeInMillis: () => 60_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

/** S3 → EventBridge "Object Created" (a PutObject / POST Object into a bucket with EventBridge on). */
export function s3ObjectCreated(
  bucket: string,
  key: string,
  opts: { size?: number; etag?: string; reason?: S3ObjectCreatedNotificationEvent['detail']['reason']; time?: Date } = {},
): S3ObjectCreatedNotificationEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: ACCOUNT,
    time: ebTime(opts.time),
    region: REGION,
    resources: [`arn:aws:s3:::${bucket}`],
    detail: {
      version: '0',
      bucket: { name: bucket },
      object: {
        key,
        size: opts.size ?? 1024,
        etag: opts.etag ?? 'b1946ac92492d2347c6235b4d2611184',
        'version-id': 'IYV3p45BT0ac8hjHg1houSdS1a.Mro8e',
        sequencer: '617f08299329d189',
      },
      'request-id': 'N4N7GDK58NMKJ12R',
      requester: ACCOUNT,
      'source-ip-address': '203.0.113.15',
      reason: opts.reason ?? 'PutObject',
    },
  };
}

/** One record of s3rver's S3 notification (the SQS/SNS format) → what EventBridge would deliver. */
export function fromS3rverRecord(record: {
  eventName: string;
  eventTime: string;
  s3: { bucket: { name: string }; object: { key: string; size?: number; eTag?: string } };
}): S3ObjectCreatedNotificationEvent {
  const reason =
    record.eventName === 'ObjectCreated:Post' ? 'POST Object' : record.eventName === 'ObjectCreated:Copy' ? 'CopyObject' : 'PutObject';
  return s3ObjectCreated(record.s3.bucket.name, record.s3.object.key, {
    size: record.s3.object.size,
    etag: record.s3.object.eTag,
    reason,
    time: new Date(record.eventTime),
  });
}

/** What a rule delivers for an entry the app put with PutEvents. */
export function delivered(entry: PutEventsEntry): EventBridgeEvent<string, any> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': entry.DetailType,
    source: entry.Source,
    account: ACCOUNT,
    time: ebTime(),
    region: REGION,
    resources: entry.Resources ?? [],
    detail: JSON.parse(entry.Detail),
  };
}

export interface HttpRequest {
  method: string;
  /** Path with an optional query string. */
  url: string;
  token?: string;
  /** The authorizer's claims (API Gateway passes them as strings). */
  claims?: Record<string, string | number | boolean>;
  json?: unknown;
  headers?: Record<string, string>;
}

/** API Gateway HTTP API, payload format 2.0, behind a JWT authorizer. */
export function httpApiEvent(req: HttpRequest): APIGatewayProxyEventV2WithJWTAuthorizer {
  const [rawPath, rawQueryString = ''] = req.url.split('?') as [string, string?];
  const query = new URLSearchParams(rawQueryString);
  const now = new Date();
  const headers: Record<string, string> = {
    accept: 'application/json',
    host: 'abc123def4.execute-api.us-east-1.amazonaws.com',
    'user-agent': 'vitest',
    'x-amzn-trace-id': `Root=1-${Math.floor(now.getTime() / 1000).toString(16)}-${randomUUID().replace(/-/g, '').slice(0, 24)}`,
    'x-forwarded-for': '203.0.113.15',
    'x-forwarded-port': '443',
    'x-forwarded-proto': 'https',
    ...(req.token ? { authorization: `Bearer ${req.token}` } : {}),
    ...(req.json !== undefined ? { 'content-type': 'application/json' } : {}),
    ...req.headers,
  };
  const claims = Object.fromEntries(Object.entries(req.claims ?? {}).map(([k, v]) => [k, String(v)]));
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    headers,
    ...(rawQueryString ? { queryStringParameters: Object.fromEntries(query) } : {}),
    requestContext: {
      accountId: ACCOUNT,
      apiId: 'abc123def4',
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims, scopes: [] } },
      domainName: 'abc123def4.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abc123def4',
      http: { method: req.method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '203.0.113.15', userAgent: 'vitest' },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: req.json !== undefined ? JSON.stringify(req.json) : undefined,
    isBase64Encoded: false,
  } as APIGatewayProxyEventV2WithJWTAuthorizer;
}

/** EventBridge Scheduler / a schedule rule. */
export function scheduledEvent(): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: ACCOUNT,
    time: ebTime(),
    region: REGION,
    resources: [`arn:aws:events:${REGION}:${ACCOUNT}:rule/collections-cleanup`],
    detail: {},
  };
}

/** What cr.Provider's framework function sends to the onEvent handler. */
export function customResourceEvent(type: 'Create' | 'Update' | 'Delete', physicalId?: string): CloudFormationCustomResourceEvent {
  const common = {
    ServiceToken: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:collections-migrate-provider`,
    ResponseURL: 'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/presigned',
    StackId: `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/collections-dev/${randomUUID()}`,
    RequestId: randomUUID(),
    LogicalResourceId: 'Migrations',
    ResourceType: 'Custom::Migrations',
    ResourceProperties: { ServiceToken: 'arn', Version: '0005_chat' },
  };
  if (type === 'Create') return { ...common, RequestType: 'Create' };
  if (type === 'Update') {
    return {
      ...common,
      RequestType: 'Update',
      PhysicalResourceId: physicalId!,
      OldResourceProperties: { ServiceToken: 'arn', Version: '0004' },
    };
  }
  return { ...common, RequestType: 'Delete', PhysicalResourceId: physicalId! };
}
