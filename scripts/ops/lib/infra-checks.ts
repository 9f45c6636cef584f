import { randomBytes, randomUUID } from 'node:crypto';
import { CognitoIdentityProviderClient, DescribeUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeRuleCommand,
  EventBridgeClient,
  ListRuleNamesByTargetCommand,
  TestEventPatternCommand,
} from '@aws-sdk/client-eventbridge';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import sharp from 'sharp';
import { CHAT_TABLE } from '../../../src/adapters/chat-store/dynamodb/table.js';
import { LAMBDA_FUNCTIONS, SECRET_NAMES, parameterPrefix, type LambdaName } from '../../../src/aws/contract.js';
import { EVENT_SOURCES } from '../../../src/ports/event-bus.js';
import { apiCall, jwtClaims, postToPresignedForm } from './api-client.js';
import { clientConfig, errorText } from './aws.js';
import type { OpsContext } from './context.js';
import type { OutputsFile } from './outputs.js';
import { runInOrder, type Check, type CheckOutcome, type CheckResult, type CheckStatus } from './report.js';
import { describeMigrateAnswer, migrateUpdateEvent, type MigrateAnswer } from './migrate-event.js';
import { loadSdk, type InvokeResponse } from './sdk.js';
import { OUTPUT_KEYS, functionNameOf } from './stack.js';
import { createTestUser, deleteTestUser, type TestUser } from './test-user.js';

/**
 * The live checks of `ops test-infra`, in order. Each one gets the shared state (outputs, the
 * test user once signed in, what earlier checks found) and returns pass/fail/skip with one line
 * of detail; an exception is a failure with its message. Checks clean up what they create.
 */
export interface CheckState {
  ctx: OpsContext;
  region: string;
  outputs: OutputsFile;
  user?: TestUser;
  /** Function configuration by contract name (from the `functions` check). */
  functions: Map<LambdaName, { name: string; arn: string; env: Record<string, string> }>;
  /** Set by `lambda-invoke` from GET /health through the api function. */
  healthBody?: { database?: string; status?: string; version?: string };
  cleanups: (() => Promise<void>)[];
  /** Seconds `e2e-upload` waits for an upload to become searchable. */
  e2eTimeoutSeconds: number;
}

export type { CheckOutcome };

export type InfraCheck = Check<CheckState>;

const pass = (detail: string, notes?: string[]): CheckOutcome => ({ status: 'pass', detail, ...(notes && { notes }) });
const fail = (detail: string, notes?: string[]): CheckOutcome => ({ status: 'fail', detail, ...(notes && { notes }) });
const skip = (detail: string): CheckOutcome => ({ status: 'skip', detail });

function output(state: CheckState, key: string): string | undefined {
  return state.outputs.outputs[key];
}

async function optionalSdk<T>(load: () => Promise<T>): Promise<T | CheckOutcome> {
  try {
    return await load();
  } catch (err) {
    return skip(errorText(err));
  }
}
const isOutcome = (x: unknown): x is CheckOutcome => !!x && typeof x === 'object' && 'status' in x && 'detail' in x;

/** An API Gateway HTTP API (payload 2.0) event, as the api function receives it. */
export function httpApiEvent(method: string, path: string, headers: Record<string, string> = {}) {
  const now = Date.now();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'ops-test.invalid', 'user-agent': 'collections-ops', ...headers },
    requestContext: {
      accountId: 'anonymous',
      apiId: 'ops-test',
      domainName: 'ops-test.invalid',
      domainPrefix: 'ops-test',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'collections-ops' },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: new Date(now).toISOString(),
      timeEpoch: now,
    },
    isBase64Encoded: false,
  };
}

async function invoke(state: CheckState, functionName: string, payload: unknown): Promise<{ response: InvokeResponse; body: unknown }> {
  const { LambdaClient, InvokeCommand } = await loadSdk('lambda');
  const client = new LambdaClient(clientConfig({ ...state.ctx, region: state.region }));
  try {
    const response = (await client.send(
      new InvokeCommand({ FunctionName: functionName, Payload: new TextEncoder().encode(JSON.stringify(payload)), LogType: 'None' }),
    )) as InvokeResponse;
    const text = response.Payload ? new TextDecoder().decode(response.Payload) : '';
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    return { response, body };
  } finally {
    client.destroy();
  }
}

/** A PNG no one has uploaded before: text for the vision model, random pixels for a new sha256. */
export async function uniqueTestImage(runId: string): Promise<Buffer> {
  const svg = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="400"><rect width="100%" height="100%" fill="white"/>` +
      `<text x="40" y="120" font-size="44" font-family="sans-serif" fill="black">Collections infrastructure test</text>` +
      `<text x="40" y="200" font-size="36" font-family="sans-serif" fill="black">Ramen shop, open 11:00-22:00</text>` +
      `<text x="40" y="280" font-size="28" font-family="monospace" fill="black">run ${runId}</text></svg>`,
  );
  const noise = await sharp(randomBytes(64 * 16 * 3), { raw: { width: 64, height: 16, channels: 3 } }).png().toBuffer();
  return sharp(svg).composite([{ input: noise, left: 720, top: 370 }]).png().toBuffer();
}

export const INFRA_CHECKS: InfraCheck[] = [
  {
    id: 'outputs',
    title: 'Stack outputs present',
    async run(state) {
      const wanted = [OUTPUT_KEYS.apiUrl, OUTPUT_KEYS.userPoolId, OUTPUT_KEYS.userPoolClientId, OUTPUT_KEYS.bucket, OUTPUT_KEYS.chatTable];
      const missing = wanted.filter((k) => !output(state, k));
      const stacks = Object.entries(state.outputs.stacks).map(([n, s]) => `${n}${s.status ? ` ${s.status}` : ''}`);
      if (missing.length) return fail(`missing ${missing.join(', ')}`, [`stacks: ${stacks.join(', ')}`]);
      return pass(`${Object.keys(state.outputs.outputs).length} outputs from ${stacks.join(', ')}`);
    },
  },
  {
    id: 'parameter-store',
    title: 'Parameter Store readable (SecureString secrets)',
    async run(state) {
      const ssm = new SSMClient(clientConfig({ ...state.ctx, region: state.region }));
      try {
        const prefix = parameterPrefix(state.ctx.env);
        const names: string[] = [];
        let NextToken: string | undefined;
        do {
          const page = await ssm.send(new GetParametersByPathCommand({ Path: prefix.replace(/\/+$/, ''), WithDecryption: true, NextToken }));
          for (const p of page.Parameters ?? []) if (p.Name) names.push(`${p.Name.slice(prefix.length)} (${p.Type})`);
          NextToken = page.NextToken;
        } while (NextToken);
        const known = SECRET_NAMES.filter((n) => names.some((x) => x.startsWith(`${n} `)));
        return pass(`${names.length} parameters under ${prefix}, decrypted; secrets set: ${known.join(', ') || 'none'}`, [
          `parameters: ${names.join(', ') || '(none)'}`,
          ...(known.length === 0 ? ['no API key is set: the functions use the offline providers (npm run ops -- secrets-populate)'] : []),
        ]);
      } finally {
        ssm.destroy();
      }
    },
  },
  {
    id: 'dynamodb',
    title: 'DynamoDB chat table, keys and TTL',
    async run(state) {
      const table = output(state, OUTPUT_KEYS.chatTable);
      if (!table) return skip(`no ${OUTPUT_KEYS.chatTable} output`);
      const ddb = new DynamoDBClient(clientConfig({ ...state.ctx, region: state.region }));
      try {
        const { Table: t } = await ddb.send(new DescribeTableCommand({ TableName: table }));
        const { TimeToLiveDescription: ttl } = await ddb.send(new DescribeTimeToLiveCommand({ TableName: table }));
        const problems: string[] = [];
        if (t?.TableStatus !== 'ACTIVE') problems.push(`status ${t?.TableStatus}`);
        const key = (name: string, type: string) => t?.KeySchema?.some((k) => k.AttributeName === name && k.KeyType === type);
        if (!key(CHAT_TABLE.partitionKey.name, 'HASH') || !key(CHAT_TABLE.sortKey.name, 'RANGE')) problems.push('key schema differs from CHAT_TABLE');
        const billing = t?.BillingModeSummary?.BillingMode ?? 'PROVISIONED';
        if (billing !== CHAT_TABLE.billingMode) problems.push(`billing ${billing}`);
        const gsi = t?.GlobalSecondaryIndexes?.find((g) => g.IndexName === CHAT_TABLE.globalSecondaryIndexes[0].indexName);
        if (!gsi) problems.push(`no index ${CHAT_TABLE.globalSecondaryIndexes[0].indexName}`);
        else if (gsi.IndexStatus !== 'ACTIVE') problems.push(`index ${gsi.IndexStatus}`);
        if (ttl?.TimeToLiveStatus !== 'ENABLED' || ttl.AttributeName !== CHAT_TABLE.timeToLiveAttribute) {
          problems.push(`TTL ${ttl?.TimeToLiveStatus ?? 'unknown'} on ${ttl?.AttributeName ?? '(none)'}, expected ENABLED on ${CHAT_TABLE.timeToLiveAttribute}`);
        }
        const detail = `${table}: ${t?.TableStatus}, ${billing}, TTL ${ttl?.TimeToLiveStatus} on ${ttl?.AttributeName ?? '-'}`;
        return problems.length ? fail(`${detail}; ${problems.join('; ')}`) : pass(detail);
      } finally {
        ddb.destroy();
      }
    },
  },
  {
    id: 's3',
    title: 'S3 round trip (put, get, delete)',
    async run(state) {
      const bucket = output(state, OUTPUT_KEYS.bucket);
      if (!bucket) return skip(`no ${OUTPUT_KEYS.bucket} output`);
      const s3 = new S3Client(clientConfig({ ...state.ctx, region: state.region }));
      // Outside `{user}/originals/`, so no pipeline rule reacts to it.
      const key = `ops-test/${randomUUID()}.txt`;
      const body = `collections infra test ${new Date().toISOString()}`;
      try {
        const t0 = Date.now();
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'text/plain' }));
        const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        const text = await got.Body?.transformToString();
        const sse = got.ServerSideEncryption;
        if (text !== body) return fail(`read back ${text?.length ?? 0} bytes that differ from what was written`);
        return pass(`s3://${bucket}/${key} written and read back in ${Date.now() - t0} ms (encryption: ${sse ?? 'none'})`);
      } finally {
        await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })).catch(() => undefined);
        s3.destroy();
      }
    },
  },
  {
    id: 'functions',
    title: 'Lambda functions deployed and active',
    async run(state) {
      const sdk = await optionalSdk(() => loadSdk('lambda'));
      if (isOutcome(sdk)) return sdk;
      const client = new sdk.LambdaClient(clientConfig({ ...state.ctx, region: state.region }));
      const notes: string[] = [];
      const problems: string[] = [];
      try {
        for (const name of Object.keys(LAMBDA_FUNCTIONS) as LambdaName[]) {
          const fn = functionNameOf(state.outputs, name);
          if (!fn) {
            problems.push(`${name}: no function name in the outputs`);
            continue;
          }
          const c = (await client.send(new sdk.GetFunctionConfigurationCommand({ FunctionName: fn }))) as {
            FunctionName?: string;
            FunctionArn?: string;
            State?: string;
            LastUpdateStatus?: string;
            Runtime?: string;
            Architectures?: string[];
            MemorySize?: number;
            Timeout?: number;
            CodeSize?: number;
            Environment?: { Variables?: Record<string, string> };
          };
          state.functions.set(name, { name: c.FunctionName ?? fn, arn: c.FunctionArn ?? fn, env: c.Environment?.Variables ?? {} });
          notes.push(
            `${name}: ${c.FunctionName} ${c.Runtime} ${c.Architectures?.join(',')} ${c.MemorySize} MB ${c.Timeout} s, code ${((c.CodeSize ?? 0) / 1e6).toFixed(2)} MB, ${c.State}/${c.LastUpdateStatus}`,
          );
          if (c.State !== 'Active' || (c.LastUpdateStatus && c.LastUpdateStatus !== 'Successful')) problems.push(`${name}: ${c.State}/${c.LastUpdateStatus}`);
          const env = c.Environment?.Variables?.COLLECTIONS_ENV;
          if (env !== state.ctx.env) problems.push(`${name}: COLLECTIONS_ENV=${env ?? '(unset)'}`);
        }
      } finally {
        client.destroy();
      }
      return problems.length ? fail(problems.join('; '), notes) : pass(`${state.functions.size} functions Active`, notes);
    },
  },
  {
    id: 'lambda-invoke',
    title: 'Lambda invoke (api function, GET /health)',
    async run(state) {
      const api = state.functions.get('api')?.name ?? functionNameOf(state.outputs, 'api');
      if (!api) return skip('no api function name in the outputs');
      const sdk = await optionalSdk(() => loadSdk('lambda'));
      if (isOutcome(sdk)) return sdk;
      const t0 = Date.now();
      const { response, body } = await invoke(state, api, httpApiEvent('GET', '/health'));
      const ms = Date.now() - t0;
      if (response.FunctionError) return fail(`${response.FunctionError}: ${JSON.stringify(body).slice(0, 300)}`);
      const res = body as { statusCode?: number; body?: string };
      if (res?.statusCode !== 200) return fail(`GET /health answered ${res?.statusCode}: ${String(res?.body).slice(0, 300)}`);
      state.healthBody = JSON.parse(res.body ?? '{}') as CheckState['healthBody'];
      return pass(`200 in ${ms} ms (includes a cold start when the function was idle)`, [`health: ${res.body}`]);
    },
  },
  {
    id: 'lambda-rds',
    title: 'Lambda → RDS (the api function queries Postgres)',
    async run(state) {
      if (!state.healthBody) return skip('needs the lambda-invoke check');
      if (state.healthBody.database !== 'postgres') return fail(`the api function uses database "${state.healthBody.database}", not postgres`);
      return pass('GET /health ran SELECT 1 on RDS Postgres through the api function');
    },
  },
  {
    id: 'rds-pgvector',
    title: 'RDS Postgres with pgvector (through the migrate function)',
    async run(state) {
      const fn = state.functions.get('migrate')?.name ?? functionNameOf(state.outputs, 'migrate');
      const sdk = await optionalSdk(() => loadSdk('lambda'));
      if (isOutcome(sdk)) return sdk;
      // What every deployment sends it: CREATE EXTENSION IF NOT EXISTS vector, then pending migrations.
      const { response, body } = await invoke(state, fn, migrateUpdateEvent(state.ctx.env));
      if (response.FunctionError) return fail(`${response.FunctionError}: ${JSON.stringify(body).slice(0, 300)}`);
      const answer = body as MigrateAnswer;
      if (!answer?.Data?.Latest) return fail(`the migrate function answered without a schema version: ${JSON.stringify(body).slice(0, 300)}`);
      return pass(`CREATE EXTENSION IF NOT EXISTS vector succeeded on RDS; ${describeMigrateAnswer(answer)}`, [
        'vector search itself is exercised by e2e-upload (hybrid/bm25 search of the uploaded item)',
      ]);
    },
  },
  {
    id: 'eventbridge',
    title: 'EventBridge rules route to the pipeline functions',
    async run(state) {
      const bucket = output(state, OUTPUT_KEYS.bucket);
      const targets: [LambdaName, object][] = [
        ['image-processor', sampleS3Event(bucket ?? 'bucket', state)],
        ['analyzer', samplePipelineEvent('ImageProcessed', state)],
        ['embedder', samplePipelineEvent('AnalysisComplete', state)],
      ];
      if (targets.some(([n]) => !state.functions.get(n))) return skip('needs the functions check (function ARNs)');
      const busName = state.functions.get('api')?.env.EVENT_BUS_NAME ?? 'default';
      const eb = new EventBridgeClient(clientConfig({ ...state.ctx, region: state.region }));
      const notes: string[] = [];
      const problems: string[] = [];
      try {
        for (const [name, sample] of targets) {
          const arn = state.functions.get(name)!.arn;
          let matched = false;
          for (const bus of new Set(['default', busName])) {
            const { RuleNames } = await eb.send(new ListRuleNamesByTargetCommand({ TargetArn: arn, EventBusName: bus }));
            for (const rule of RuleNames ?? []) {
              const r = await eb.send(new DescribeRuleCommand({ Name: rule, EventBusName: bus }));
              if (!r.EventPattern) continue; // a schedule
              const { Result } = await eb.send(new TestEventPatternCommand({ EventPattern: r.EventPattern, Event: JSON.stringify(sample) }));
              notes.push(`${name}: rule ${rule} on ${bus}, ${r.State}, sample event ${Result ? 'matches' : 'does not match'}`);
              if (Result && r.State === 'ENABLED') matched = true;
            }
          }
          if (!matched) problems.push(`${name}: no enabled rule matches a sample ${name === 'image-processor' ? 'S3 Object Created' : 'pipeline'} event`);
        }
      } finally {
        eb.destroy();
      }
      return problems.length
        ? fail(problems.join('; '), notes)
        : pass('S3 Object Created → image-processor, ImageProcessed → analyzer, AnalysisComplete → embedder (delivery: see e2e-upload)', notes);
    },
  },
  {
    id: 'cognito',
    title: 'Cognito user pool and a JWT for a test user',
    async run(state) {
      const poolId = output(state, OUTPUT_KEYS.userPoolId);
      const clientId = output(state, OUTPUT_KEYS.userPoolClientId);
      if (!poolId || !clientId) return skip(`no ${OUTPUT_KEYS.userPoolId} / ${OUTPUT_KEYS.userPoolClientId} output`);
      const cognito = new CognitoIdentityProviderClient(clientConfig({ ...state.ctx, region: poolId.split('_')[0] ?? state.region }));
      const { UserPool: pool } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
      const user = await createTestUser(cognito, poolId, clientId);
      state.user = user;
      state.cleanups.push(async () => {
        try {
          await deleteTestUser(cognito, poolId, user.username);
        } finally {
          cognito.destroy();
        }
      });
      const claims = jwtClaims(user.idToken);
      const issuer = `https://cognito-idp.${poolId.split('_')[0]}.amazonaws.com/${poolId}`;
      const problems = [
        ...(claims.iss !== issuer ? [`iss ${String(claims.iss)}`] : []),
        ...(claims.aud !== clientId ? [`aud ${String(claims.aud)}`] : []),
        ...(claims.token_use !== 'id' ? [`token_use ${String(claims.token_use)}`] : []),
      ];
      const detail = `pool ${pool?.Name ?? poolId} (MFA ${pool?.MfaConfiguration ?? '?'}); test user signed in with ${user.flow}`;
      return problems.length ? fail(`${detail}; unexpected claims: ${problems.join(', ')}`) : pass(detail, [`id token: iss ${issuer}, aud ${clientId}, sub ${user.sub}`]);
    },
  },
  {
    id: 'api-routing',
    title: 'API routing: /health open, others 401 without a token, 200 with',
    async run(state) {
      const url = output(state, OUTPUT_KEYS.apiUrl);
      if (!url) return skip(`no ${OUTPUT_KEYS.apiUrl} output`);
      const health = await apiCall<{ database?: string }>(url, 'GET', '/health');
      const anonymous = await apiCall(url, 'GET', '/items');
      const rows = [`GET /health → ${health.status} (database ${health.body?.database ?? '?'})`, `GET /items without a token → ${anonymous.status}`];
      const problems: string[] = [];
      if (health.status !== 200) problems.push(`/health ${health.status}`);
      if (anonymous.status !== 401) problems.push(`/items without a token ${anonymous.status}`);
      if (state.user) {
        const signedIn = await apiCall(url, 'GET', '/items', { token: state.user.idToken });
        rows.push(`GET /items with the test user's id token → ${signedIn.status}`);
        if (signedIn.status !== 200) problems.push(`/items with a token ${signedIn.status}: ${JSON.stringify(signedIn.body).slice(0, 200)}`);
        const garbage = await apiCall(url, 'GET', '/items', { token: 'not.a.token' });
        rows.push(`GET /items with a malformed token → ${garbage.status}`);
        if (garbage.status !== 401) problems.push(`/items with a malformed token ${garbage.status}`);
      } else {
        rows.push('(no test user: the signed-in request was not tried)');
      }
      return problems.length ? fail(problems.join('; '), rows) : pass(rows.join('; '));
    },
  },
  {
    id: 'web-app',
    title: 'Web app: CloudFront serves the app, its app-config.json names this API and user pool, deep links fall back to the app',
    async run(state) {
      const web = output(state, OUTPUT_KEYS.webUrl);
      if (!web) return skip(`no ${OUTPUT_KEYS.webUrl} output`);
      const get = async (p: string) => {
        const res = await fetch(new URL(p, web), { redirect: 'manual' });
        return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
      };
      const [index, config, deep] = await Promise.all([get('/'), get('/app-config.json'), get('/items/some-deep-link')]);
      const rows = [`GET / → ${index.status} ${index.type}`, `GET /app-config.json → ${config.status}`, `GET /items/some-deep-link → ${deep.status} ${deep.type}`];
      const problems: string[] = [];
      if (index.status !== 200 || !index.type.includes('text/html')) problems.push(`/ answered ${index.status} ${index.type}`);
      if (deep.status !== 200 || !deep.type.includes('text/html')) problems.push(`a deep link answered ${deep.status} (the SPA fallback is missing)`);
      let parsed: { apiBaseUrl?: string; auth?: { mode?: string; userPoolId?: string } } = {};
      try {
        parsed = JSON.parse(config.text) as typeof parsed;
      } catch {
        problems.push('app-config.json is not JSON');
      }
      const api = output(state, OUTPUT_KEYS.apiUrl);
      if (api && parsed.apiBaseUrl?.replace(/\/+$/, '') !== api.replace(/\/+$/, '')) problems.push(`app-config.json names API ${parsed.apiBaseUrl}, the stack's is ${api}`);
      const pool = output(state, OUTPUT_KEYS.userPoolId);
      if (pool && (parsed.auth?.mode !== 'cognito' || parsed.auth.userPoolId !== pool)) problems.push(`app-config.json names user pool ${parsed.auth?.userPoolId}, the stack's is ${pool}`);
      return problems.length ? fail(problems.join('; '), rows) : pass(rows.join('; '));
    },
  },
  {
    id: 'e2e-upload',
    title: 'End to end: presigned upload → processed → searchable',
    async run(state) {
      const url = output(state, OUTPUT_KEYS.apiUrl);
      if (!url) return skip(`no ${OUTPUT_KEYS.apiUrl} output`);
      if (!state.user) return skip('needs the cognito check (a signed-in test user)');
      const token = state.user.idToken;
      const runId = randomUUID().slice(0, 8);
      const bytes = await uniqueTestImage(runId);
      const notes: string[] = [];
      const t0 = Date.now();
      const ticket = await apiCall<UploadTicketResponse>(url, 'POST', UPLOADS_PATH, {
        token,
        json: { filename: `infra-test-${runId}.png`, content_type: 'image/png', size: bytes.length },
      });
      if (ticket.status !== 201 && ticket.status !== 200) return fail(`POST ${UPLOADS_PATH} → ${ticket.status}: ${JSON.stringify(ticket.body).slice(0, 300)}`);
      const { itemId, upload } = readUploadTicket(ticket.body);
      if (!itemId || !upload) return fail(`POST ${UPLOADS_PATH} answered without an item id or upload form: ${JSON.stringify(ticket.body).slice(0, 300)}`);
      state.cleanups.push(async () => void (await apiCall(url, 'DELETE', `/items/${itemId}`, { token }).catch(() => undefined)));
      const posted = await postToPresignedForm(upload, { bytes, filename: `infra-test-${runId}.png`, contentType: 'image/png' });
      notes.push(`item ${itemId}; S3 POST → ${posted.status} after ${Date.now() - t0} ms`);
      if (posted.status < 200 || posted.status >= 300) return fail(`the presigned POST to S3 answered ${posted.status}: ${posted.text.slice(0, 300)}`, notes);
      const t1 = Date.now();
      const deadline = t1 + state.e2eTimeoutSeconds * 1000;
      let item: ItemWire | undefined;
      const seen: string[] = [];
      while (Date.now() < deadline) {
        const res = await apiCall<ItemWire>(url, 'GET', `/items/${itemId}`, { token });
        if (res.status === 200) {
          item = res.body;
          if (seen[seen.length - 1] !== item.status) seen.push(`${item.status} @${((Date.now() - t1) / 1000).toFixed(1)} s`);
          if (item.status === 'ready' || item.status === 'failed') break;
        }
        await new Promise((r) => setTimeout(r, 1000));
      }
      notes.push(`statuses: ${seen.join(' → ') || '(none)'}`);
      if (item?.status === 'failed') return fail(`the pipeline failed at ${item.failed_step ?? '?'}: ${item.error ?? ''}`, notes);
      if (item?.status !== 'ready') {
        return fail(`not ready after ${state.e2eTimeoutSeconds} s (last status ${item?.status ?? 'unknown'}); EventBridge delivery or a step is slow or failing: see ops logs`, notes);
      }
      const headline = item.analysis?.headline ?? item.analysis?.raw?.headline ?? '';
      const query = headline.trim() || 'Collections infrastructure test';
      // Searchable = found by the words of its own analysis (bm25), and listed by hybrid search.
      let found = false;
      let searchStatus = 0;
      while (!found && Date.now() < deadline + 5000) {
        const res = await apiCall<{ results?: { item_id: string }[] }>(url, 'POST', '/search', { token, json: { query, search_type: 'bm25', top_k: 10 } });
        searchStatus = res.status;
        found = res.status === 200 && !!res.body.results?.some((r) => r.item_id === itemId);
        if (!found) await new Promise((r) => setTimeout(r, 1000));
      }
      const total = (Date.now() - t0) / 1000;
      notes.push(`search "${query.slice(0, 80)}" (bm25) → ${searchStatus}, ${found ? 'found' : 'not found'}; ${total.toFixed(1)} s from upload request`);
      if (!found) return fail(`ready, but POST /search did not return the item (status ${searchStatus})`, notes);
      return pass(`ready and found by search ${total.toFixed(1)} s after the upload request (limit ${state.e2eTimeoutSeconds} s)`, notes);
    },
  },
];

/** POST /items/uploads (direct-to-S3 uploads: the item row first, then a presigned POST). */
export const UPLOADS_PATH = '/items/uploads';

interface ItemWire {
  id: string;
  status: string;
  error?: string | null;
  failed_step?: string | null;
  analysis?: { headline?: string | null; raw?: { headline?: string } } | null;
}

type UploadTicketResponse = Record<string, unknown>;

/** The item id and the form of a POST /items/uploads answer. */
export function readUploadTicket(body: UploadTicketResponse): { itemId?: string; upload?: { url: string; fields: Record<string, string> } } {
  const item = (body.item ?? body) as { id?: string };
  const upload = (body.upload ?? body.ticket) as { url?: string; fields?: Record<string, string> } | undefined;
  return {
    ...(typeof item.id === 'string' && { itemId: item.id }),
    ...(upload?.url && upload.fields && { upload: { url: upload.url, fields: upload.fields } }),
  };
}

/** The account of the deployment (EventBridge test events must carry the caller's): from a function ARN. */
export function accountOf(state: CheckState): string {
  for (const f of state.functions.values()) {
    const account = /^arn:[^:]+:lambda:[^:]+:(\d{12}):/.exec(f.arn)?.[1];
    if (account) return account;
  }
  return state.outputs.account ?? '000000000000';
}

function sampleS3Event(bucket: string, state: CheckState) {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: accountOf(state),
    time: new Date().toISOString(),
    region: state.region,
    resources: [`arn:aws:s3:::${bucket}`],
    detail: { version: '0', bucket: { name: bucket }, object: { key: 'user/originals/item.jpg', size: 1 }, reason: 'PutObject' },
  };
}

function samplePipelineEvent(type: 'ImageProcessed' | 'AnalysisComplete', state: CheckState) {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': type,
    source: EVENT_SOURCES[type],
    account: accountOf(state),
    time: new Date().toISOString(),
    region: state.region,
    resources: [],
    detail: { item_id: randomUUID(), user_id: 'user' },
  };
}

/** Runs the checks in order; a throw is a failure with the error's first line. */
export async function runChecks(
  checks: readonly InfraCheck[],
  state: CheckState,
  onResult: (r: CheckResult) => void = () => undefined,
): Promise<CheckResult[]> {
  try {
    return await runInOrder(checks, state, onResult, (err) => fail(errorText(err)));
  } finally {
    for (const cleanup of state.cleanups.reverse()) await cleanup().catch(() => undefined);
  }
}
