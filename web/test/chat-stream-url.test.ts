import { describe, expect, it } from 'vitest';
import { chatStreamEndpoint } from '../src/api/chat-endpoint.js';
import { normalizeConfig } from '../src/config.js';

/**
 * On AWS app-config.json names the chat-stream function URL: the chat client (streamChat, through
 * client.ts's chatStreamUrlOf) must stream from `{chatStreamUrl}chat/stream`, and from the API
 * when there is none.
 */
describe('chat stream URL', () => {
  const api = 'https://abc123.execute-api.eu-west-1.amazonaws.com/';
  const fnUrl = 'https://xyz789.lambda-url.eu-west-1.on.aws/';

  it('streams from {chatStreamUrl}chat/stream when app-config.json names one', () => {
    const config = normalizeConfig({ apiBaseUrl: api, auth: { mode: 'none' }, chatStreamUrl: fnUrl });
    expect(chatStreamEndpoint(config.apiBaseUrl, config.chatStreamUrl)).toBe(`${fnUrl}chat/stream`);
    expect(chatStreamEndpoint(api, fnUrl.replace(/\/$/, ''))).toBe(`${fnUrl}chat/stream`); // with or without its slash
  });

  it('streams from the API without one (the local server, older configs)', () => {
    const config = normalizeConfig({ apiBaseUrl: api, auth: { mode: 'none' } });
    expect(config.chatStreamUrl).toBeUndefined();
    expect(chatStreamEndpoint(config.apiBaseUrl, config.chatStreamUrl)).toBe(`${api}chat/stream`);
    expect(chatStreamEndpoint('', null)).toBe('/chat/stream');
  });

  it('takes chatStreamUrl only as an http(s) URL', () => {
    expect(normalizeConfig({ apiBaseUrl: '', auth: { mode: 'none' }, chatStreamUrl: 'javascript:alert(1)' }).chatStreamUrl).toBeUndefined();
    expect(normalizeConfig({ apiBaseUrl: '', auth: { mode: 'none' }, chatStreamUrl: 42 }).chatStreamUrl).toBeUndefined();
  });
});
