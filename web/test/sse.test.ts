import { describe, expect, it } from 'vitest';
import { SseParser, readSse } from '../src/api/sse.js';

describe('SSE parser (POST /chat/stream)', () => {
  it('reads events split anywhere across chunks, with CRLF, comments and multi-line data', () => {
    const text =
      ': keep-alive\r\nevent: session\r\ndata: {"session_id":"s1"}\r\n\r\nevent: token\ndata: {"text":"Hel\ndata: lo"}\n\nid: 7\nevent: message\ndata: {"done":true}\n\n';
    for (const size of [1, 2, 3, 5, 8, 13, text.length]) {
      const parser = new SseParser();
      const events = [];
      for (let i = 0; i < text.length; i += size) events.push(...parser.push(text.slice(i, i + size)));
      expect(events, `chunks of ${size}`).toEqual([
        { event: 'session', data: '{"session_id":"s1"}' },
        { event: 'token', data: '{"text":"Hel\nlo"}' },
        { event: 'message', data: '{"done":true}', id: '7' },
      ]);
    }
  });

  it('defaults the event name, ignores unknown fields and drops an unterminated event', async () => {
    const parser = new SseParser();
    expect(parser.push('data: a\nretry: 10\nfoo\n\ndata:b\n\nevent: error\ndata: {"x":1}')).toEqual([
      { event: 'message', data: 'a' },
      { event: 'message', data: 'b' },
    ]);
    expect(parser.end()).toEqual([]);

    const bytes = new TextEncoder().encode('event: token\ndata: {"text":"caf\u00e9 \u2615"}\n\nevent: message\ndata: {}');
    // A multi-byte character split between two reads is decoded whole.
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes.slice(0, 30));
        c.enqueue(bytes.slice(30));
        c.close();
      },
    });
    const events = [];
    for await (const e of readSse(body)) events.push(e);
    expect(events).toEqual([{ event: 'token', data: '{"text":"caf\u00e9 \u2615"}' }]);
  });
});
