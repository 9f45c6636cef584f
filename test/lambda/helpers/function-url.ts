/**
 * A Lambda function URL in RESPONSE_STREAM mode on loopback, in front of a handler run as the
 * Lambda Node.js runtime runs a streaming one. Two halves, each as AWS documents it:
 *
 * - The runtime (`installStreamingRuntime`): the global `awslambda` with `streamifyResponse`
 *   (marks the handler and returns it; the runtime then calls it with (event, responseStream,
 *   context)) and `HttpResponseStream.from(stream, {statusCode, headers, cookies})`, which sets
 *   the stream's content type to `application/vnd.awslambda.http-integration-response` and, on
 *   the first write, writes the JSON prelude and 8 NUL bytes before the body — as
 *   aws-lambda-nodejs-runtime-interface-client's HttpResponseStream.js does.
 * - The function URL (`startFunctionUrl`): each HTTP request becomes a payload format 2.0 event
 *   (`requestContext.http`, lower-case headers, cookies apart, a binary body base64-encoded);
 *   the bytes the handler writes are parsed (prelude → status, headers, cookies) and the rest is
 *   passed to the client as it is written, not when the handler returns. A handler that throws
 *   before writing is a 502; after, the connection is cut. So is one that outlives its timeout.
 *
 * CORS preflight, which the Lambda service answers from the URL's configuration, is not played.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { Context, LambdaFunctionURLEvent } from 'aws-lambda';
import { REGION, lambdaContext } from '../../aws/helpers/events.js';

const STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
export const PRELUDE_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';
const DELIMITER = Buffer.alloc(8);

type StreamingHandler = (event: LambdaFunctionURLEvent, stream: Writable, context: Context) => unknown;

/** The response stream the runtime hands a streaming handler: bytes go to `sink` as written. */
class ResponseStream extends Writable {
  contentType = 'application/octet-stream';
  _onBeforeFirstWrite?: (write: (chunk: string | Uint8Array) => void) => void;

  constructor(private readonly sink: (chunk: Buffer) => void) {
    super();
  }

  setContentType(type: string) {
    this.contentType = type;
  }

  override write(chunk: unknown, encoding?: unknown, cb?: unknown): boolean {
    const before = this._onBeforeFirstWrite;
    if (before) {
      this._onBeforeFirstWrite = undefined;
      before((c) => void super.write(c));
    }
    return super.write(chunk, encoding as BufferEncoding, cb as () => void);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void) {
    this.sink(chunk);
    callback();
  }
}

class HttpResponseStream {
  static from(stream: ResponseStream, prelude: Record<string, unknown>) {
    stream.setContentType(PRELUDE_CONTENT_TYPE);
    const json = JSON.stringify(prelude); // JSON never holds a NUL byte: the delimiter is unambiguous
    stream._onBeforeFirstWrite = (write) => {
      write(json);
      write(new Uint8Array(DELIMITER));
    };
    return stream;
  }
}

/**
 * Defines `awslambda`'s streaming members as the runtime does before loading a function's module
 * (on the object other libraries may have put there: @aws/lambda-invoke-store keeps its store on
 * it); returns an undo.
 */
export function installStreamingRuntime(): () => void {
  const g = globalThis as { awslambda?: Record<string, unknown> };
  const target = (g.awslambda ??= {});
  const members = {
    streamifyResponse(handler: StreamingHandler & { [STREAMING]?: string }) {
      handler[STREAMING] = 'response';
      return handler;
    },
    HttpResponseStream,
  };
  Object.assign(target, members);
  return () => {
    for (const key of Object.keys(members)) delete target[key];
  };
}

/** Content types a function URL passes as text; anything else arrives base64-encoded. */
const TEXT = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded)|[^;]*\+(json|xml))/i;

async function toEvent(req: IncomingMessage, urlId: string): Promise<LambdaFunctionURLEvent> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks);
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name === 'cookie' || value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const cookies = req.headers.cookie?.split(/;\s*/).filter(Boolean);
  const query = [...url.searchParams.keys()].length
    ? Object.fromEntries([...new Set(url.searchParams.keys())].map((k) => [k, url.searchParams.getAll(k).join(',')]))
    : undefined;
  const text = TEXT.test(headers['content-type'] ?? '');
  const now = new Date();
  const domainName = `${urlId}.lambda-url.${REGION}.on.aws`;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies?.length && { cookies }),
    headers: { ...headers, host: domainName },
    ...(query && { queryStringParameters: query }),
    requestContext: {
      accountId: 'anonymous',
      apiId: urlId,
      domainName,
      domainPrefix: urlId,
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(raw.length > 0 && { body: text ? raw.toString('utf8') : raw.toString('base64') }),
    isBase64Encoded: raw.length > 0 && !text,
  } as LambdaFunctionURLEvent;
}

/** Turns the handler's bytes into the HTTP response: prelude first (when declared), then the body as written. */
function responder(res: ServerResponse, stream: ResponseStream) {
  let pending: Buffer | null = Buffer.alloc(0); // bytes before the head is sent
  const sendHead = (status: number, headers: Record<string, string>, cookies: string[] = []) => {
    res.writeHead(status, { ...headers, ...(cookies.length && { 'set-cookie': cookies }) });
    res.flushHeaders();
  };
  return {
    write(chunk: Buffer) {
      if (pending === null) return void res.write(chunk);
      pending = Buffer.concat([pending, chunk]);
      if (stream.contentType !== PRELUDE_CONTENT_TYPE) {
        sendHead(200, { 'content-type': stream.contentType });
      } else {
        const end = pending.indexOf(DELIMITER);
        if (end < 0) return;
        const prelude = JSON.parse(pending.subarray(0, end).toString('utf8')) as {
          statusCode?: number;
          headers?: Record<string, string>;
          cookies?: string[];
        };
        sendHead(prelude.statusCode ?? 200, prelude.headers ?? {}, prelude.cookies);
        pending = pending.subarray(end + DELIMITER.length);
      }
      const rest = pending;
      pending = null;
      if (rest.length) res.write(rest);
    },
    /** Whether the client has received a status line. */
    get started() {
      return pending === null;
    },
  };
}

export interface FunctionUrl {
  /** Like a function URL's: ends with a slash. */
  url: string;
  /** Invocations so far. */
  invocations: number;
  close(): Promise<void>;
}

export async function startFunctionUrl(handler: unknown, options: { functionName: string; timeoutMs?: number }): Promise<FunctionUrl> {
  const fn = handler as StreamingHandler & { [STREAMING]?: string };
  if (fn[STREAMING] !== 'response')
    throw new Error('The handler is not wrapped in awslambda.streamifyResponse: a RESPONSE_STREAM URL would not stream it');
  const urlId = randomUUID().replace(/-/g, '').slice(0, 32);
  const timeoutMs = options.timeoutMs ?? 120_000;
  const state = { invocations: 0 };

  const server: Server = createServer(async (req, res) => {
    state.invocations++;
    const event = await toEvent(req, urlId);
    let out!: ReturnType<typeof responder>;
    const stream = new ResponseStream((chunk) => out.write(chunk));
    out = responder(res, stream);
    const deadline = Date.now() + timeoutMs;
    const context: Context = { ...lambdaContext(options.functionName), getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) };
    const finished = new Promise<void>((resolve, reject) => {
      stream.on('finish', resolve);
      stream.on('error', reject);
    });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Task timed out after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      // The invocation ends when the handler has returned and the stream has ended.
      await Promise.race([Promise.all([fn(event, stream, context), finished]), timedOut]);
      if (!out.started) throw new Error('The handler ended its stream without writing its prelude');
      res.end();
    } catch (err) {
      if (out.started) res.destroy(err as Error);
      else
        res
          .writeHead(502, { 'content-type': 'application/json' })
          .end(JSON.stringify({ Message: 'Internal Server Error', cause: String(err) }));
    } finally {
      clearTimeout(timer);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    get invocations() {
      return state.invocations;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
