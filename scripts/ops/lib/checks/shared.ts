/**
 * What the checks of `ops test-infra` share: the state passed along the list, the outcome
 * helpers, and the requests and test data several checks (and the API suite) build.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import sharp from 'sharp';
import type { LambdaName } from '../../../../src/contracts/aws.js';
import { clientConfig, errorText } from '../aws.js';
import type { OpsContext } from '../context.js';
import type { OutputsFile } from '../outputs.js';
import type { Check, CheckOutcome } from '../report.js';
import { loadSdk, type InvokeResponse } from '../sdk.js';
import type { TestUser } from '../test-user.js';

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

export const pass = (detail: string, notes?: string[]): CheckOutcome => ({ status: 'pass', detail, ...(notes && { notes }) });
export const fail = (detail: string, notes?: string[]): CheckOutcome => ({ status: 'fail', detail, ...(notes && { notes }) });
export const skip = (detail: string): CheckOutcome => ({ status: 'skip', detail });

export function output(state: CheckState, key: string): string | undefined {
  return state.outputs.outputs[key];
}

export async function optionalSdk<T>(load: () => Promise<T>): Promise<T | CheckOutcome> {
  try {
    return await load();
  } catch (err) {
    return skip(errorText(err));
  }
}
export const isOutcome = (x: unknown): x is CheckOutcome => !!x && typeof x === 'object' && 'status' in x && 'detail' in x;

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

export async function invoke(
  state: CheckState,
  functionName: string,
  payload: unknown,
): Promise<{ response: InvokeResponse; body: unknown }> {
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
  const noise = await sharp(randomBytes(64 * 16 * 3), { raw: { width: 64, height: 16, channels: 3 } })
    .png()
    .toBuffer();
  return sharp(svg)
    .composite([{ input: noise, left: 720, top: 370 }])
    .png()
    .toBuffer();
}

/** POST /items/uploads (direct-to-S3 uploads: the item row first, then a presigned POST). */
export const UPLOADS_PATH = '/items/uploads';

export interface ItemWire {
  id: string;
  status: string;
  error?: string | null;
  failed_step?: string | null;
  analysis?: { headline?: string | null; raw?: { headline?: string } } | null;
}

export type UploadTicketResponse = Record<string, unknown>;

/** The item id and the form of a POST /items/uploads answer. */
export function readUploadTicket(body: UploadTicketResponse): {
  itemId?: string;
  upload?: { url: string; fields: Record<string, string> };
} {
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
