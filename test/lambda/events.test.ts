import { describe, expect, it } from 'vitest';
import {
  S3ObjectCreatedSchema,
  keyCandidates,
  parseEvent,
  parseOriginalKey,
  pipelineEventSchema,
} from '../../src/lambda/runtime/events.js';
import { s3ObjectCreated } from '../aws/helpers/events.js';

const ITEM = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

describe('event parsing at the handler boundary', () => {
  it('reads the S3 "Object Created" event EventBridge delivers (the AWS documentation sample shape)', () => {
    const event = s3ObjectCreated('bucket-1', `u1/originals/${ITEM}.png`, { size: 5, reason: 'POST Object' });
    expect(parseEvent(S3ObjectCreatedSchema, event, 'x').detail.object).toMatchObject({ key: `u1/originals/${ITEM}.png`, size: 5 });
  });

  it('splits original keys and refuses everything else', () => {
    expect(parseOriginalKey(`3f1e6c1a-7b1d-4c55-9a4e-0c6f3d2b9e10/originals/${ITEM}.jpg`)).toEqual({
      userId: '3f1e6c1a-7b1d-4c55-9a4e-0c6f3d2b9e10',
      itemId: ITEM,
      ext: 'jpg',
    });
    for (const key of [
      `u/thumbnails/${ITEM}.webp`,
      `u/originals/not-a-uuid.png`,
      `a/b/originals/${ITEM}.png`,
      `../originals/${ITEM}.png`,
      `originals/${ITEM}.png`,
    ]) {
      expect(parseOriginalKey(key), key).toBeNull();
    }
  });

  it('tries a URL-encoded key (S3 notification style) after the key as sent', () => {
    expect(keyCandidates('plain/originals/x.png')).toEqual(['plain/originals/x.png']);
    expect(keyCandidates('a+b%40c/originals/x.png')).toEqual(['a+b%40c/originals/x.png', 'a b@c/originals/x.png']);
    expect(keyCandidates('bad%E0%A4%A/x')).toEqual(['bad%E0%A4%A/x']);
  });

  it('checks a pipeline event’s source, detail type and detail', () => {
    const schema = pipelineEventSchema('AnalysisComplete');
    const ok = {
      id: '1',
      time: '2026-12-01T00:00:00Z',
      source: 'collections.analyzer',
      'detail-type': 'AnalysisComplete',
      detail: { item_id: ITEM, user_id: 'u', analysis_id: ITEM },
    };
    expect(parseEvent(schema, ok, 'an AnalysisComplete event').detail.item_id).toBe(ITEM);
    expect(() => parseEvent(schema, { ...ok, detail: { ...ok.detail, user_id: '../x' } }, 'an AnalysisComplete event')).toThrow(
      /detail.user_id/,
    );
    expect(() => parseEvent(schema, { ...ok, 'detail-type': 'ImageProcessed' }, 'an AnalysisComplete event')).toThrow(/detail-type/);
  });
});
