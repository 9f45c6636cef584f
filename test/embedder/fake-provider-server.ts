/**
 * A loopback HTTP server that plays an embeddings provider, so provider tests never touch the
 * internet. It records every request and answers with whatever the test's handler returns.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: any;
}

export interface FakeReply {
  status?: number;
  body: unknown;
  delayMs?: number;
}

export type FakeHandler = (request: RecordedRequest, callNumber: number) => FakeReply;

export interface FakeProviderServer {
  baseUrl: string;
  requests: RecordedRequest[];
  handler: FakeHandler;
  close(): Promise<void>;
}

export async function startFakeProviderServer(handler: FakeHandler): Promise<FakeProviderServer> {
  const requests: RecordedRequest[] = [];
  const state: FakeProviderServer = {
    baseUrl: '',
    requests,
    handler,
    close: async () => {},
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: raw ? JSON.parse(raw) : undefined,
      };
      requests.push(recorded);
      const reply = state.handler(recorded, requests.length);
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' });
        res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.baseUrl = `http://127.0.0.1:${port}/v1`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

/**
 * A successful embeddings reply for `input`: each text "t<n>" gets a vector whose first number
 * is n, so tests can check order. Entries come back reversed, as a provider may legally do.
 */
export function embeddingsReply(input: string[], dimensions: number, model: string): FakeReply {
  const data = input.map((text, index) => {
    const embedding = new Array<number>(dimensions).fill(0);
    embedding[0] = Number(text.replace(/^t/, ''));
    return { object: 'embedding', embedding, index };
  });
  return {
    body: { object: 'list', data: data.reverse(), model, usage: { total_tokens: input.length } },
  };
}
