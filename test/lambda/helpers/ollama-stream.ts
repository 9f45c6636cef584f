/**
 * Ollama's chat API (`POST /api/chat`, NDJSON, one JSON object per line with `done: false`
 * until the last) on loopback, with scripted turns that stream tokens with pauses, call a tool
 * or stall. The Lambda handlers reach it through their environment alone (CHAT_PROVIDER=ollama,
 * OLLAMA_BASE_URL), as they would reach a real provider, and @langchain/ollama reads the stream
 * line by line, so tokens can reach a client while the model is still "writing".
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type ScriptedTurn =
  | { tokens: string[]; delayMs?: number }
  | { toolCall: { name: string; arguments: Record<string, unknown> } }
  /** Accepts the request and never answers. */
  | { stall: true };
/** A turn, or one computed from the request's messages (role, content). */
export type OllamaTurn = ScriptedTurn | ((messages: { role: string; content: string }[]) => ScriptedTurn);

export interface OllamaStream {
  baseUrl: string;
  /** Request bodies, in order. */
  requests: { model: string; messages: { role: string; content: string }[] }[];
  /** When (performance.now()) each turn's last line was written: the model "finished". */
  finishedAt: number[];
  reply(...turns: OllamaTurn[]): void;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startOllamaStream(): Promise<OllamaStream> {
  const script: OllamaTurn[] = [];
  const requests: OllamaStream['requests'] = [];
  const finishedAt: number[] = [];
  const line = (res: ServerResponse, model: string, message: object, done: boolean) =>
    res.write(
      `${JSON.stringify({
        model,
        created_at: new Date().toISOString(),
        message: { role: 'assistant', content: '', ...message },
        done,
        ...(done && { done_reason: 'stop', prompt_eval_count: 10, eval_count: 5 }),
      })}\n`,
    );

  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', async () => {
      const body = JSON.parse(raw || '{}');
      requests.push(body);
      const next = script.shift() ?? { tokens: ['(no reply scripted)'] };
      const turn = typeof next === 'function' ? next(body.messages ?? []) : next;
      if ('stall' in turn) return; // the socket stays open until the client gives up
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      if ('toolCall' in turn) {
        line(res, body.model, { tool_calls: [{ function: turn.toolCall }] }, false);
      } else {
        for (const text of turn.tokens) {
          line(res, body.model, { content: text }, false);
          if (turn.delayMs) await sleep(turn.delayMs);
        }
      }
      line(res, body.model, {}, true);
      finishedAt.push(performance.now());
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    finishedAt,
    reply: (...turns) => void script.splice(0, script.length, ...turns),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
