import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_UPLOAD_BYTES, normalizeConfig } from '../src/config.js';
import { checkFile } from '../src/lib/files.js';

describe('app-config.json', () => {
  it('takes the local server’s and the AWS deployment’s shapes, with defaults', () => {
    expect(normalizeConfig({ apiBaseUrl: '', auth: { mode: 'none' } })).toEqual({
      apiBaseUrl: '',
      auth: { mode: 'none' },
      uploads: 'api',
      visionProviders: [],
      maxUploadBytes: DEFAULT_MAX_UPLOAD_BYTES,
    });
    const aws = normalizeConfig({
      apiBaseUrl: 'https://api.example.com/',
      auth: { mode: 'cognito', region: 'eu-west-1', userPoolId: 'eu-west-1_abc', clientId: 'client' },
    });
    expect(aws).toMatchObject({
      apiBaseUrl: 'https://api.example.com',
      uploads: 'direct',
      auth: { mode: 'cognito', region: 'eu-west-1', clientId: 'client' },
    });
    expect(
      normalizeConfig({ auth: { mode: 'cognito', userPoolId: 'us-east-2_x', clientId: 'c', endpoint: 'http://127.0.0.1:9229' } }).auth,
    ).toEqual({
      mode: 'cognito',
      region: 'us-east-2',
      userPoolId: 'us-east-2_x',
      clientId: 'c',
      endpoint: 'http://127.0.0.1:9229',
    });
    expect(() => normalizeConfig({ auth: { mode: 'cognito' } })).toThrow(/userPoolId/);
  });
});

describe('files the upload refuses before sending', () => {
  const MB = 1024 * 1024;
  it('accepts the API’s image types (HEIC by its name) and refuses others, empty and too large files', () => {
    expect(checkFile({ name: 'a.png', type: 'image/png', size: 10 }, MB)).toEqual({ type: 'image/png' });
    expect(checkFile({ name: 'IMG_1.HEIC', type: '', size: 10 }, MB)).toEqual({ type: 'image/heic' });
    expect(checkFile({ name: 'b.heif', type: 'image/heif', size: 10 }, MB)).toEqual({ type: 'image/heic' });
    expect(checkFile({ name: 'notes.txt', type: 'text/plain', size: 10 }, MB)).toEqual({
      reason: expect.stringMatching(/Not a supported image type \(text\/plain\)/),
    });
    expect(checkFile({ name: 'x.svg', type: 'image/svg+xml', size: 10 }, MB)).toHaveProperty('reason');
    expect(checkFile({ name: 'e.png', type: 'image/png', size: 0 }, MB)).toEqual({ reason: 'The file is empty.' });
    expect(checkFile({ name: 'big.jpg', type: 'image/jpeg', size: 30 * MB }, 25 * MB)).toEqual({
      reason: 'Too large (30 MB); the limit is 25 MB.',
    });
  });
});
