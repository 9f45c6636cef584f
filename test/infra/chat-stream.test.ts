import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAT_TURN_TIMEOUT_MS, ENVIRONMENTS, LAMBDA_ENV, type DeploymentEnv } from '../../src/contracts/aws.js';
import { CHAT_STREAM_ALLOWED_HEADERS } from '../../infra/lib/chat-stream.js';
import { awsConnectSources } from '../../infra/lib/web-hosting.js';
import {
  actionsOf,
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

/**
 * The chat-stream function and its URL (infra/lib/chat-stream.ts, compute.ts): streamed, open
 * to the app's own JWT check only from the environment's web origins, granted what a chat turn
 * needs, and the api function's turns capped below API Gateway's 30 s.
 */

let envs: Record<DeploymentEnv, Synthesized>;
beforeAll(() => {
  envs = synthesizeAll();
});
afterAll(removeOutdirs);

const urlOf = (s: Synthesized) => resource(s.json, s.stack.chatStream.url).Properties;
const functionOf = (s: Synthesized, name: 'api' | 'chat-stream') => resource(s.json, s.stack.compute.functions[name].function).Properties;

describe.each(ENVIRONMENTS)('%s', (env) => {
  it('has a function URL that streams, authenticated by the app, for the web origins only', () => {
    const s = envs[env];
    const url = urlOf(s);
    expect(url.InvokeMode).toBe('RESPONSE_STREAM');
    expect(url.AuthType).toBe('NONE');
    expect(url.TargetFunctionArn).toEqual({ 'Fn::GetAtt': [logicalIdOf(s.stack.compute.functions['chat-stream'].function), 'Arn'] });
    const web = `https://{"Fn::GetAtt":["${logicalIdOf(s.stack.web.distribution)}","DomainName"]}`;
    const origins = (url.Cors.AllowOrigins as unknown[]).map((o) =>
      typeof o === 'string' ? o : `https://${JSON.stringify((o as any)['Fn::Join'][1][1])}`,
    );
    expect(origins).toEqual([...s.config.corsOrigins, web]);
    expect(url.Cors.AllowMethods).toEqual(['POST']);
    expect(url.Cors.AllowHeaders).toEqual(CHAT_STREAM_ALLOWED_HEADERS);
    expect(url.Cors.AllowCredentials).toBeUndefined(); // a bearer header, no cookies
  });

  it('lets anyone invoke the URL (the app checks the token), and nothing else', () => {
    const s = envs[env];
    const fnArn = { 'Fn::GetAtt': [logicalIdOf(s.stack.compute.functions['chat-stream'].function), 'Arn'] };
    const permissions = resourcesOfType(s.json, 'AWS::Lambda::Permission').filter(
      ([, p]) => JSON.stringify(p.Properties.FunctionName) === JSON.stringify(fnArn),
    );
    expect(permissions.length).toBeGreaterThan(0);
    for (const [, p] of permissions) {
      expect(p.Properties.Principal).toBe('*');
      // Public principals only through the URL: InvokeFunctionUrl with auth type NONE, or InvokeFunction via the URL.
      if (p.Properties.Action === 'lambda:InvokeFunctionUrl') expect(p.Properties.FunctionUrlAuthType).toBe('NONE');
      else expect(p.Properties).toMatchObject({ Action: 'lambda:InvokeFunction', InvokedViaFunctionUrl: true });
    }
  });

  it('runs in the VPC with the api’s chat environment and a turn limit that fits its timeout', () => {
    const s = envs[env];
    const fn = functionOf(s, 'chat-stream');
    const api = functionOf(s, 'api');
    expect(fn.VpcConfig).toEqual(api.VpcConfig);
    const vars = fn.Environment.Variables;
    for (const key of ['authMode', 'userPoolId', 'userPoolClientId', 'chatTable', 'parameterPrefix'] as const) {
      expect(vars[LAMBDA_ENV[key]], key).toEqual(api.Environment.Variables[LAMBDA_ENV[key]]);
    }
    expect(vars[LAMBDA_ENV.authMode]).toBe('jwt');
    expect(vars[LAMBDA_ENV.chatTurnTimeoutMs]).toBe(String(CHAT_TURN_TIMEOUT_MS['chat-stream']));
    expect(fn.Timeout * 1000).toBeGreaterThan(CHAT_TURN_TIMEOUT_MS['chat-stream']);
    expect(fn.ReservedConcurrentExecutions).toBe(s.config.functions['chat-stream'].reservedConcurrency);
  });

  it('caps the api function’s chat turns below API Gateway’s 30 s', () => {
    const api = functionOf(envs[env], 'api');
    expect(api.Environment.Variables[LAMBDA_ENV.chatTurnTimeoutMs]).toBe(String(CHAT_TURN_TIMEOUT_MS.api));
    expect(CHAT_TURN_TIMEOUT_MS.api).toBeLessThan(29_000);
  });

  it('outputs the URL and puts it in app-config.json; the CSP lets the app connect to it', () => {
    const s = envs[env];
    expect(s.json.Outputs?.ChatStreamUrl?.Value).toEqual({ 'Fn::GetAtt': [logicalIdOf(s.stack.chatStream.url), 'FunctionUrl'] });
    expect(s.json.Outputs?.ChatStreamFunctionName).toBeDefined();
    const deployment = resourcesOfType(s.json, 'Custom::CDKBucketDeployment').find(([, d]) =>
      JSON.stringify(d.Properties.SourceMarkers ?? []).includes('FunctionUrl'),
    );
    expect(JSON.stringify(deployment?.[1].Properties.SourceMarkers)).toContain(logicalIdOf(s.stack.chatStream.url));
    expect(awsConnectSources('eu-west-1', 'amazonaws.com')).toContain('https://*.lambda-url.eu-west-1.on.aws');
  });
});

describe('permissions', () => {
  it('grants chat-stream what a chat turn needs: no pipeline events, S3 only for chat payloads', () => {
    const s = envs.dev;
    const fn = s.stack.compute.functions['chat-stream'];
    const statements = roleStatements(s.json, logicalIdOf(fn.role));
    const actions = actionsOf(statements);
    expect(actions).not.toContain('events:PutEvents');
    expect(actions).not.toContain('s3:DeleteObject');
    expect(actions.filter((a) => a.startsWith('bedrock:'))).toEqual([]);
    const s3 = statements.filter((st) => asArray(st.Action).some((a) => a.startsWith('s3:')));
    expect(s3.flatMap((st) => asArray(st.Resource)).map((r) => JSON.stringify(r))).toEqual([expect.stringContaining('/*/chat/*')]);
    const dynamo = statements.find((st) => asArray(st.Action).includes('dynamodb:Query'))!;
    expect(JSON.stringify(dynamo.Resource)).toContain(logicalIdOf(s.stack.database.chatTable));
  });

  it('adds Bedrock chat when the environment chats on Bedrock', () => {
    const context = { environments: { ...(envs.dev.app.node.tryGetContext('environments') as object) } } as {
      environments: Record<string, any>;
    };
    context.environments.dev = { ...context.environments.dev, bedrock: { chat: true, vision: false } };
    const s = synthesize('dev', { context });
    const actions = actionsOf(roleStatements(s.json, logicalIdOf(s.stack.compute.functions['chat-stream'].role)));
    expect(actions).toEqual(expect.arrayContaining(['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream']));
  });

  it('synthesizes every environment with no unacknowledged cdk-nag (AwsSolutions) finding, none on chat-stream', () => {
    type Violation = { ruleName: string; violatingConstructs: { constructPath: string }[] };
    for (const env of ENVIRONMENTS) {
      const report = JSON.parse(readFileSync(path.join(envs[env].outdir, 'validation-report.json'), 'utf8')) as {
        pluginReports: { violations?: Violation[] }[];
      };
      const violations = report.pluginReports.flatMap((r) => r.violations ?? []);
      // Other annotations (the stack's own warnings, e.g. alarms without a subscriber) are nag.test.ts's.
      const ours = violations.filter(
        (v) => v.ruleName.startsWith('AwsSolutions') || v.violatingConstructs.some((c) => /ChatStream/.test(c.constructPath)),
      );
      expect(ours, env).toEqual([]);
    }
  });
});
