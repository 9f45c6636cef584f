import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Anthropic Messages API and OpenAI Chat Completions API: real HTTP on
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
  | { text: string }
  | { status: number; error: string; headers?: Record<string, string> }
  /** Accept the request and never answer (the client's timeout must fire). */
  | { hang: true };

export type ApiShape = 'anthropic' | 'openai';

function successBody(shape: ApiShape, model: string, text: string) {
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

function errorBody(shape: ApiShape, status: number, message: string) {
  const type =
    status === 429 ? 'rate_limit_error' : status >= 500 ? 'api_error' : 'invalid_request_error';
  return shape === 'anthropic'
    ? { type: 'error', error: { type, message } }
    : { error: { message, type, param: null, code: null } };
}

export class FakeModelServer {
  readonly requests: RecordedRequest[] = [];
  private script: ScriptedReply[] = [];
  private server: Server | null = null;
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
    this.server = createServer((req, res) => {
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
        const expected = this.shape === 'anthropic' ? '/v1/messages' : '/v1/chat/completions';
        const scripted = this.script[Math.min(this.requests.length - 1, this.script.length - 1)];
        let status = 200;
        let payload: unknown;
        let headers: Record<string, string> = {};
        if (req.method !== 'POST' || req.url !== expected) {
          status = 404;
          payload = errorBody(this.shape, 404, `no route ${req.method} ${req.url}`);
        } else if (!scripted) {
          status = 500;
          payload = errorBody(this.shape, 500, 'no reply scripted');
        } else if ('hang' in scripted) {
          return;
        } else if ('text' in scripted) {
          payload = successBody(this.shape, body?.model ?? 'unknown', scripted.text);
        } else {
          status = scripted.status;
          payload = errorBody(this.shape, scripted.status, scripted.error);
          headers = scripted.headers ?? {};
        }
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(payload));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }
}
