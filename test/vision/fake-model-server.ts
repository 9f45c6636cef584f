import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttp2Server, type Http2Server, type ServerHttp2Session } from 'node:http2';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Anthropic Messages API, OpenAI Chat Completions API and Bedrock
 * Converse API (`POST /model/{modelId}/converse`, SigV4-signed by the AWS SDK): real HTTP on
 * 127.0.0.1, so the real SDKs (through LangChain) build, send and parse real requests. Replies
 * are scripted per request; every request is recorded for assertions.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- whatever JSON the SDK sent
  body: any;
}

/** What the fake answers: model text (wrapped in the API's reply shape) or a raw HTTP error. */
export type ScriptedReply =
  /** delayMs: answer this much later (a slow model, so concurrent callers overlap). */
  | { text: string; delayMs?: number }
  | { status: number; error: string; headers?: Record<string, string> }
  /** Accept the request and never answer (the client's timeout must fire). */
  | { hang: true };

export type ApiShape = 'anthropic' | 'openai' | 'bedrock';

function successBody(shape: ApiShape, model: string, text: string) {
  if (shape === 'bedrock') {
    return {
      output: { message: { role: 'assistant', content: [{ text }] } },
      stopReason: 'end_turn',
      usage: { inputTokens: 1200, outputTokens: 300, totalTokens: 1500 },
      metrics: { latencyMs: 12 },
    };
  }
  if (shape === 'anthropic') {
    return {
      id: 'msg_fake_01',
      type: 'message',
      role: 'assistant',
      model,
      content: [{ type: 'text', text }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 1200, output_tokens: 300 },
    };
  }
  return {
    id: 'chatcmpl-fake01',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: text, refusal: null },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: { prompt_tokens: 1200, completion_tokens: 300, total_tokens: 1500 },
  };
}

/** Bedrock names the error in a header, as every AWS JSON protocol does. */
const BEDROCK_ERROR_TYPES: Record<number, string> = {
  400: 'ValidationException',
  403: 'AccessDeniedException',
  404: 'ResourceNotFoundException',
  429: 'ThrottlingException',
  500: 'InternalServerException',
  503: 'ServiceUnavailableException',
};

function errorBody(shape: ApiShape, status: number, message: string) {
  if (shape === 'bedrock') return { message };
  const type = status === 429 ? 'rate_limit_error' : status >= 500 ? 'api_error' : 'invalid_request_error';
  return shape === 'anthropic' ? { type: 'error', error: { type, message } } : { error: { message, type, param: null, code: null } };
}

export class FakeModelServer {
  readonly requests: RecordedRequest[] = [];
  private script: ScriptedReply[] = [];
  private server: Server | Http2Server | null = null;
  /** HTTP/2 clients keep their session open: stop() must end them for close() to finish. */
  private readonly sessions = new Set<ServerHttp2Session>();
  private port = 0;

  constructor(private readonly shape: ApiShape) {}

  /** Replies in order; the last one repeats for any further requests. */
  reply(...replies: ScriptedReply[]): this {
    this.script = replies;
    this.requests.length = 0;
    return this;
  }

  /** Base URL in the form each SDK expects (OpenAI's includes /v1). */
  get baseUrl(): string {
    const root = `http://127.0.0.1:${this.port}`;
    return this.shape === 'openai' ? `${root}/v1` : root;
  }

  async start(): Promise<this> {
    const handle = (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const body = raw ? JSON.parse(raw) : null;
        this.requests.push({
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          body,
        });
        const bedrockModel = /^\/model\/([^/]+)\/converse$/.exec(req.url ?? '');
        const routeOk =
          this.shape === 'bedrock' ? !!bedrockModel : req.url === (this.shape === 'anthropic' ? '/v1/messages' : '/v1/chat/completions');
        const scripted = this.script[Math.min(this.requests.length - 1, this.script.length - 1)];
        let status = 200;
        let payload: unknown;
        let headers: Record<string, string> = {};
        if (req.method !== 'POST' || !routeOk) {
          status = 404;
          payload = errorBody(this.shape, 404, `no route ${req.method} ${req.url}`);
        } else if (!scripted) {
          status = 500;
          payload = errorBody(this.shape, 500, 'no reply scripted');
        } else if ('hang' in scripted) {
          return;
        } else if ('text' in scripted) {
          payload = successBody(this.shape, body?.model ?? decodeURIComponent(bedrockModel?.[1] ?? 'unknown'), scripted.text);
        } else {
          status = scripted.status;
          payload = errorBody(this.shape, scripted.status, scripted.error);
          headers = {
            ...(this.shape === 'bedrock' && { 'x-amzn-errortype': BEDROCK_ERROR_TYPES[scripted.status] ?? 'InternalServerException' }),
            ...scripted.headers,
          };
        }
        const send = () => {
          res.writeHead(status, { 'content-type': 'application/json', ...headers });
          res.end(JSON.stringify(payload));
        };
        const delayMs = scripted && 'text' in scripted ? (scripted.delayMs ?? 0) : 0;
        if (delayMs > 0) setTimeout(send, delayMs);
        else send();
      });
    };
    // The AWS SDK's Bedrock Runtime client speaks HTTP/2 (cleartext h2c to an http:// endpoint).
    this.server =
      this.shape === 'bedrock'
        ? createHttp2Server((req, res) => handle(req as unknown as IncomingMessage, res as unknown as ServerResponse))
        : createServer(handle);
    this.server.on('session', (session: ServerHttp2Session) => {
      this.sessions.add(session);
      session.on('close', () => this.sessions.delete(session));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) {
      if ('closeAllConnections' in server) server.closeAllConnections();
      for (const session of this.sessions) session.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }
}
