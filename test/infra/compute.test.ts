import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ENVIRONMENTS,
  EVENT_PATTERNS,
  LAMBDA_ENV,
  LAMBDA_FUNCTIONS,
  SECRET_NAMES,
  type DeploymentEnv,
  type LambdaName,
} from '../../src/contracts/aws.js';
import { OPEN_ROUTES } from '../../infra/lib/api.js';
import type { AppFunction } from '../../infra/lib/functions.js';
import { HTTP_API_METRICS } from '../../infra/lib/monitoring.js';
import {
  actionsOf,
  allFunctions,
  asArray,
  logicalIdOf,
  removeOutdirs,
  resource,
  resourcesOfType,
  roleStatements,
  synthesize,
  synthesizeAll,
  type Synthesized,
} from './helpers.js';

/** Functions, permissions, events, dead-letter queues, the HTTP API and monitoring. */

let envs: Record<DeploymentEnv, Synthesized>;
beforeAll(() => {
  envs = synthesizeAll();
});
afterAll(removeOutdirs);

const SIZES: Record<LambdaName, [memoryMb: number, timeoutSeconds: number]> = {
  api: [2048, 30],
  'image-processor': [1024, 60],
  analyzer: [1536, 120],
  embedder: [1024, 60],
  cleanup: [512, 120],
  migrate: [512, 300],
  'chat-stream': [2048, 120],
};
const LOG_RETENTION: Record<DeploymentEnv, number> = { dev: 7, test: 30, prod: 90 };

describe.each(ENVIRONMENTS)('%s: functions', (env) => {
  it('has one function per LAMBDA_FUNCTIONS entry, nodejs22.x+ on arm64, sized per environment', () => {
    const s = envs[env];
    const fns = allFunctions(s);
    expect(Object.keys(fns).sort()).toEqual(Object.keys(LAMBDA_FUNCTIONS).sort());
    for (const [name, fn] of Object.entries(fns) as [LambdaName, AppFunction][]) {
      const props = resource(s.json, fn.function).Properties;
      expect(Number(/^nodejs(\d+)\.x$/.exec(props.Runtime)?.[1])).toBeGreaterThanOrEqual(22);
      expect(props.Architectures).toEqual(['arm64']);
      expect([props.MemorySize, props.Timeout]).toEqual(SIZES[name]);
      expect(props.FunctionName).toBe(`collections-${env}-${name}`);
      expect(props.TracingConfig).toEqual({ Mode: 'Active' });
      const logGroup = s.json.Resources[props.LoggingConfig.LogGroup.Ref]!;
      expect(logGroup.Properties.RetentionInDays).toBe(LOG_RETENTION[env]);
    }
  });

  it('runs every Lambda of the stack (the library handlers included) on arm64', () => {
    for (const [, fn] of resourcesOfType(envs[env].json, 'AWS::Lambda::Function')) {
      expect(fn.Properties.Architectures).toEqual(['arm64']);
    }
  });

  it('puts every function in the private subnets: each one reaches the database', () => {
    const s = envs[env];
    const sg = { 'Fn::GetAtt': [logicalIdOf(s.stack.database.functionSecurityGroup), 'GroupId'] };
    const privateSubnets = s.stack.database.vpc.privateSubnets.map((n) => ({ Ref: logicalIdOf(n) }));
    for (const [name, fn] of Object.entries(allFunctions(s))) {
      const vpc = resource(s.json, fn.function).Properties.VpcConfig;
      expect(vpc, name).toEqual({ SecurityGroupIds: [sg], SubnetIds: privateSubnets });
    }
  });

  it('sets only LAMBDA_ENV variables, none holding a secret', () => {
    const s = envs[env];
    const allowed = new Set<string>(Object.values(LAMBDA_ENV));
    for (const fn of Object.values(allFunctions(s))) {
      const vars: Record<string, unknown> = resource(s.json, fn.function).Properties.Environment.Variables;
      for (const [name, value] of Object.entries(vars)) {
        expect(allowed, name).toContain(name);
        expect(SECRET_NAMES as readonly string[]).not.toContain(name);
        if (/KEY|SECRET|PASSWORD|TOKEN/i.test(name)) {
          // Only a reference to a secret may be named like one: the ARN of the database secret.
          expect(name).toMatch(/_ARN$/);
          expect(value).toEqual({ Ref: logicalIdOf(s.stack.database.secret) });
        }
      }
    }
    const api = resource(s.json, s.stack.compute.functions.api.function).Properties.Environment.Variables;
    expect(api).toMatchObject({
      [LAMBDA_ENV.env]: env,
      [LAMBDA_ENV.eventBus]: 'eventbridge',
      [LAMBDA_ENV.eventBusName]: 'default',
      [LAMBDA_ENV.parameterPrefix]: `/collections/${env}/`,
      [LAMBDA_ENV.authMode]: 'jwt',
      [LAMBDA_ENV.bucket]: { Ref: logicalIdOf(s.stack.storage.bucket) },
      [LAMBDA_ENV.chatTable]: { Ref: logicalIdOf(s.stack.database.chatTable) },
      [LAMBDA_ENV.userPoolId]: { Ref: logicalIdOf(s.stack.auth.userPool) },
      [LAMBDA_ENV.userPoolClientId]: { Ref: logicalIdOf(s.stack.auth.client) },
    });
  });
});

const LOGS = ['logs:CreateLogStream', 'logs:PutLogEvents'];
const XRAY = ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'];
/** The master secret: migrate only; the other functions log in with IAM tokens as the app user. */
const SECRET = ['secretsmanager:GetSecretValue'];
const RDS = ['rds-db:connect'];
const SSM = ['kms:Decrypt', 'ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath'];
const EVENTS = ['events:PutEvents'];
const DLQ = ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'];
const EXPECTED_ACTIONS: Record<LambdaName, string[]> = {
  api: [
    ...LOGS,
    ...XRAY,
    ...RDS,
    ...SSM,
    ...EVENTS,
    's3:DeleteObject',
    's3:GetObject',
    's3:ListBucket',
    's3:PutObject',
    's3:PutObjectTagging',
    ...['BatchGetItem', 'BatchWriteItem', 'DeleteItem', 'GetItem', 'PutItem', 'Query', 'Scan', 'UpdateItem'].map((a) => `dynamodb:${a}`),
  ],
  'image-processor': [...LOGS, ...XRAY, ...RDS, ...EVENTS, ...DLQ, 's3:GetObject', 's3:ListBucket', 's3:PutObject', 's3:PutObjectTagging'],
  analyzer: [...LOGS, ...XRAY, ...RDS, ...SSM, ...EVENTS, ...DLQ, 's3:GetObject', 's3:ListBucket'],
  embedder: [...LOGS, ...XRAY, ...RDS, ...SSM, ...EVENTS, ...DLQ],
  // A chat turn's needs (test/infra/chat-stream.test.ts): no events, no DLQ, S3 only for chat payloads.
  'chat-stream': [
    ...LOGS,
    ...XRAY,
    ...RDS,
    ...SSM,
    's3:GetObject',
    's3:PutObject',
    's3:PutObjectTagging',
    ...['BatchGetItem', 'BatchWriteItem', 'DeleteItem', 'GetItem', 'PutItem', 'Query', 'Scan', 'UpdateItem'].map((a) => `dynamodb:${a}`),
  ],
  cleanup: [
    ...LOGS,
    ...XRAY,
    ...RDS,
    ...DLQ,
    's3:DeleteObject',
    ...['BatchWriteItem', 'DeleteItem', 'GetItem', 'Query', 'Scan'].map((a) => `dynamodb:${a}`),
  ],
  migrate: [...LOGS, ...XRAY, ...SECRET],
};

describe('permissions', () => {
  it.each(Object.keys(EXPECTED_ACTIONS) as LambdaName[])('%s: exactly the actions it needs', (name) => {
    const s = envs.dev;
    const fn = allFunctions(s)[name];
    expect(actionsOf(roleStatements(s.json, logicalIdOf(fn.role)))).toEqual([...EXPECTED_ACTIONS[name]].sort());
    const managed = resource(s.json, fn.role).Properties.ManagedPolicyArns ?? [];
    expect(JSON.stringify(managed)).not.toContain('AWSLambdaBasicExecutionRole');
    expect(managed).toHaveLength(1); // AWSLambdaVPCAccessExecutionRole (ENIs)
  });

  it('grants no action on Resource "*" except X-Ray tracing, anywhere in the stack', () => {
    for (const env of ENVIRONMENTS) {
      for (const [, policy] of resourcesOfType(envs[env].json, 'AWS::IAM::Policy')) {
        for (const st of policy.Properties.PolicyDocument.Statement) {
          if (asArray(st.Resource).includes('*')) expect(asArray(st.Action).every((a: string) => a.startsWith('xray:'))).toBe(true);
          for (const action of asArray(st.Action)) expect(action).not.toContain('*');
        }
      }
    }
  });

  it('narrows S3 to the key shapes each step touches', () => {
    const s = envs.dev;
    const resources = (name: LambdaName, action: string) =>
      roleStatements(s.json, logicalIdOf(allFunctions(s)[name].role))
        .filter((st) => asArray(st.Action).includes(action))
        .flatMap((st) => asArray(st.Resource).map((r) => JSON.stringify(r)));
    expect(resources('image-processor', 's3:PutObject').join()).toContain('/*/thumbnails/*.webp');
    expect(resources('image-processor', 's3:PutObject').join()).not.toContain('originals');
    expect(resources('analyzer', 's3:GetObject').join()).toMatch(/originals.*thumbnails/);
  });

  it('limits Parameter Store reads to the environment prefix, and KMS to decryption through SSM', () => {
    for (const env of ENVIRONMENTS) {
      const s = envs[env];
      const statements = roleStatements(s.json, logicalIdOf(s.stack.compute.functions.analyzer.role));
      const ssm = statements.find((st) => asArray(st.Action).includes('ssm:GetParametersByPath'))!;
      expect(JSON.stringify(ssm.Resource)).toContain(`:parameter/collections/${env}"`);
      expect(JSON.stringify(ssm.Resource)).toContain(`:parameter/collections/${env}/*"`);
      const kms = statements.find((st) => asArray(st.Action).includes('kms:Decrypt'))!;
      expect(JSON.stringify(kms.Condition)).toContain('kms:ViaService');
    }
  });

  it('grants bedrock:InvokeModel to api / analyzer only when the environment says bedrock', () => {
    const hasBedrock = (s: Synthesized, name: 'api' | 'analyzer') =>
      actionsOf(roleStatements(s.json, logicalIdOf(s.stack.compute.functions[name].role))).some((a) => a.startsWith('bedrock:'));
    expect(hasBedrock(envs.prod, 'api')).toBe(false);
    const context = { environments: { ...(envs.dev.app.node.tryGetContext('environments') as object) } } as {
      environments: Record<string, any>;
    };
    context.environments.dev = { ...context.environments.dev, bedrock: { chat: true, vision: true } };
    const s = synthesize('dev', { context });
    expect(hasBedrock(s, 'api')).toBe(true);
    expect(hasBedrock(s, 'analyzer')).toBe(true);
    expect(hasBedrock(s, 'embedder' as 'api')).toBe(false);
  });
});

describe.each(ENVIRONMENTS)('%s: events and dead-letter queues', (env) => {
  const ruleFor = (s: Synthesized, fn: AppFunction) =>
    resourcesOfType(s.json, 'AWS::Events::Rule').find(([, r]) =>
      r.Properties.Targets.some((t: any) => JSON.stringify(t.Arn) === JSON.stringify({ 'Fn::GetAtt': [logicalIdOf(fn.function), 'Arn'] })),
    )![1];

  it('routes the pipeline with the EVENT_PATTERNS of the contract, on the default bus', () => {
    const s = envs[env];
    const f = s.stack.compute.functions;
    const bucketName = s.stack.resolve(s.stack.storage.bucket.bucketName) as string;
    const processorPatterns = resourcesOfType(s.json, 'AWS::Events::Rule')
      .filter(([, r]) =>
        r.Properties.Targets.some(
          (t: any) => JSON.stringify(t.Arn) === JSON.stringify({ 'Fn::GetAtt': [logicalIdOf(f['image-processor'].function), 'Arn'] }),
        ),
      )
      .map(([, r]) => r.Properties.EventPattern);
    // The patterns name the bucket through its token (a Ref inside the wildcard's Fn::Join).
    const bucketToken = s.stack.storage.bucket.bucketName;
    const resolved = (p: unknown) => s.stack.resolve(p);
    expect(processorPatterns).toEqual(
      expect.arrayContaining([EVENT_PATTERNS.imageProcessor(bucketName), resolved(EVENT_PATTERNS.imageProcessorFromApi(bucketToken))]),
    );
    expect(processorPatterns).toHaveLength(2);
    expect(ruleFor(s, f.analyzer).Properties.EventPattern).toEqual(resolved(EVENT_PATTERNS.analyzer(bucketToken)));
    expect(ruleFor(s, f.embedder).Properties.EventPattern).toEqual(resolved(EVENT_PATTERNS.embedder(bucketToken)));
    // Each names this environment's bucket, not any bucket: the rules of dev and test on the same bus stay apart.
    expect(JSON.stringify(ruleFor(s, f.analyzer).Properties.EventPattern.resources)).toContain(
      JSON.stringify({ Ref: logicalIdOf(s.stack.storage.bucket) }),
    );
    expect(ruleFor(s, f.cleanup).Properties.ScheduleExpression).toBe('rate(1 hour)');
    for (const [, rule] of resourcesOfType(s.json, 'AWS::Events::Rule')) expect(rule.Properties.EventBusName).toBeUndefined();
  });

  it('gives every async target retries, a maximum event age and an encrypted TLS-only DLQ', () => {
    const s = envs[env];
    for (const [name, dlq] of Object.entries(s.stack.compute.deadLetterQueues)) {
      const fn = s.stack.compute.functions[name as 'analyzer'];
      const dlqArn = { 'Fn::GetAtt': [logicalIdOf(dlq), 'Arn'] };
      const target = ruleFor(s, fn).Properties.Targets[0];
      expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 7200 });
      expect(target.DeadLetterConfig).toEqual({ Arn: dlqArn });
      const invoke = resourcesOfType(s.json, 'AWS::Lambda::EventInvokeConfig').find(
        ([, c]) => JSON.stringify(c.Properties.FunctionName) === JSON.stringify({ Ref: logicalIdOf(fn.function) }),
      )![1].Properties;
      expect(invoke.MaximumRetryAttempts).toBe(name === 'cleanup' ? 0 : 2);
      expect(invoke.MaximumEventAgeInSeconds).toBe(6 * 3600);
      expect(invoke.DestinationConfig.OnFailure.Destination).toEqual(dlqArn);
      expect(resource(s.json, dlq).Properties.SqsManagedSseEnabled).toBe(true);
      const policy = resourcesOfType(s.json, 'AWS::SQS::QueuePolicy').find(
        ([, p]) => JSON.stringify(p.Properties.Queues) === JSON.stringify([{ Ref: logicalIdOf(dlq) }]),
      )!;
      expect(JSON.stringify(policy[1].Properties.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
    }
  });
});

describe.each(ENVIRONMENTS)('%s: HTTP API and identity', (env) => {
  it('puts the Cognito JWT authorizer on every route but the open ones', () => {
    const s = envs[env];
    const routes = resourcesOfType(s.json, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties);
    expect(routes.map((r) => r.RouteKey).sort()).toEqual(['$default', ...OPEN_ROUTES].sort());
    const [[authorizerId, authorizer]] = resourcesOfType(s.json, 'AWS::ApiGatewayV2::Authorizer') as [[string, any]];
    for (const route of routes) {
      if ((OPEN_ROUTES as readonly string[]).includes(route.RouteKey)) {
        expect(route.AuthorizationType).toBe('NONE');
      } else {
        expect(route.AuthorizationType).toBe('JWT');
        expect(route.AuthorizerId).toEqual({ Ref: authorizerId });
      }
    }
    expect(authorizer.Properties.AuthorizerType).toBe('JWT');
    expect(authorizer.Properties.JwtConfiguration.Audience).toEqual([{ Ref: logicalIdOf(s.stack.auth.client) }]);
    expect(authorizer.Properties.JwtConfiguration.Issuer).toEqual({
      'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', { Ref: logicalIdOf(s.stack.auth.userPool) }]],
    });
  });

  it('allows CORS from the configured origins and logs access to a retained-per-environment log group', () => {
    const s = envs[env];
    const api = resourcesOfType(s.json, 'AWS::ApiGatewayV2::Api')[0]![1].Properties;
    expect(api.ProtocolType).toBe('HTTP');
    // The configured origins, and the web app's CloudFront origin (web-hosting.ts).
    expect(api.CorsConfiguration.AllowOrigins).toEqual([...s.config.corsOrigins, s.stack.resolve(s.stack.web.origin)]);
    const stage = resourcesOfType(s.json, 'AWS::ApiGatewayV2::Stage')[0]![1].Properties;
    expect(stage).toMatchObject({ StageName: '$default', AutoDeploy: true });
    expect(stage.AccessLogSettings.DestinationArn).toEqual({ 'Fn::GetAtt': [logicalIdOf(s.stack.api.accessLogs), 'Arn'] });
    expect(JSON.parse(stage.AccessLogSettings.Format)).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
    expect(resource(s.json, s.stack.api.accessLogs).Properties.RetentionInDays).toBe(LOG_RETENTION[env]);
  });

  it('has an admin-only user pool with email sign-in, a strong password policy and optional TOTP', () => {
    const s = envs[env];
    const pool = resource(s.json, s.stack.auth.userPool).Properties;
    expect(pool.AdminCreateUserConfig.AllowAdminCreateUserOnly).toBe(true);
    expect(pool.UsernameAttributes).toEqual(['email']);
    expect(pool.Policies.PasswordPolicy).toMatchObject({
      MinimumLength: 12,
      RequireLowercase: true,
      RequireUppercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
    });
    expect(pool.MfaConfiguration).toBe('OPTIONAL');
    expect(pool.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    const client = resource(s.json, s.stack.auth.client).Properties;
    expect(client.GenerateSecret).toBe(false);
    expect(client.ExplicitAuthFlows).toEqual(expect.arrayContaining(['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH']));
  });
});

/** The dashboard body with its tokens replaced, parsed. */
function dashboardMetrics(s: Synthesized): unknown[][] {
  const body = resourcesOfType(s.json, 'AWS::CloudWatch::Dashboard')[0]![1].Properties.DashboardBody;
  const parts: unknown[] = body['Fn::Join'][1];
  const text = parts.map((p) => (typeof p === 'string' ? p : 'TOKEN')).join('');
  const widgets = JSON.parse(text).widgets as { properties: { metrics?: unknown[][] } }[];
  return widgets.flatMap((w) => w.properties.metrics ?? []);
}

describe.each(ENVIRONMENTS)('%s: monitoring', (env) => {
  it('graphs the metrics HTTP APIs, Lambda, SQS, RDS and DynamoDB really publish', () => {
    const metrics = dashboardMetrics(envs[env]);
    const names = (namespace: string) => new Set(metrics.filter((m) => m[0] === namespace).map((m) => m[1]));
    expect(names('AWS/ApiGateway')).toEqual(new Set(HTTP_API_METRICS));
    for (const m of metrics.filter((m) => m[0] === 'AWS/ApiGateway')) {
      expect(m.slice(2, 6)).toEqual(['ApiId', 'TOKEN', 'Stage', '$default']);
    }
    expect(names('AWS/Lambda')).toEqual(new Set(['Invocations', 'Errors', 'Duration', 'Throttles']));
    expect(names('AWS/SQS')).toEqual(new Set(['ApproximateNumberOfMessagesVisible']));
    expect(names('AWS/RDS')).toEqual(new Set(['CPUUtilization', 'DatabaseConnections', 'FreeStorageSpace']));
    expect(names('AWS/DynamoDB')).toEqual(new Set(['ReadThrottleEvents', 'WriteThrottleEvents']));
  });

  it(env === 'dev' ? 'has no alarms and no topic' : 'alarms on 5xx, function errors, DLQ depth and the database, to SNS', () => {
    const s = envs[env];
    const alarms = resourcesOfType(s.json, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    const topics = resourcesOfType(s.json, 'AWS::SNS::Topic');
    if (env === 'dev') {
      expect(alarms).toEqual([]);
      expect(topics).toEqual([]);
      return;
    }
    expect(topics).toHaveLength(1);
    const topicRef = { Ref: topics[0]![0] };
    for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([topicRef]);
    const by = (metric: string) => alarms.filter((a) => a.MetricName === metric);
    expect(by('5xx')).toHaveLength(1);
    expect(by('5xx')[0].Namespace).toBe('AWS/ApiGateway');
    expect(by('Errors')).toHaveLength(Object.keys(s.stack.compute.functions).length);
    const dlq = by('ApproximateNumberOfMessagesVisible');
    expect(dlq).toHaveLength(4);
    for (const a of dlq) expect([a.Threshold, a.ComparisonOperator]).toEqual([0, 'GreaterThanThreshold']);
    expect(by('CPUUtilization')).toHaveLength(1);
    expect(by('FreeStorageSpace')).toHaveLength(1);
  });
});

describe('alarm email', () => {
  it('subscribes the address given with --context alarmEmail', () => {
    const s = synthesize('test', { context: { alarmEmail: 'ops@example.com' } });
    const subscriptions = resourcesOfType(s.json, 'AWS::SNS::Subscription').map(([, r]) => r.Properties);
    expect(subscriptions).toEqual([expect.objectContaining({ Protocol: 'email', Endpoint: 'ops@example.com' })]);
    expect(resourcesOfType(envs.test.json, 'AWS::SNS::Subscription')).toEqual([]);
  });
});
