import { expect } from 'vitest';
import type { PGliteDatabase } from '../../src/adapters/database/pglite.js';
import type { AnalysisInput } from '../../src/domain/analysis.js';
import type { ServiceOverrides } from '../../src/app/services.js';
import { createHarness, type Harness } from './harness.js';
import { solidImage } from './images.js';
import { startJwtIssuer } from './jwt-issuer.js';

/** A small collection for search tests: what a person saves, in the analysis schema. */
export const SAMPLE_ITEMS = {
  ramen: {
    category: 'Food',
    subcategories: ['ramen', 'restaurant'],
    headline: 'Ichiran Ramen in Fukuoka: tonkotsu noodles open late',
    summary: 'Ichiran serves tonkotsu ramen in Fukuoka, open 24 hours.',
    media_metadata: { location_tags: ['Fukuoka, Japan'] },
    image_details: { extracted_text: ['Ichiran', 'Tonkotsu ramen', 'Open 24 hours'] },
  },
  onsen: {
    category: 'Travel',
    subcategories: ['onsen', 'hot spring'],
    headline: 'Kurokawa Onsen hot spring village with mountain views',
    summary: 'A ryokan hot spring town in Kumamoto with outdoor baths facing the mountains.',
    image_details: { extracted_text: ['Kurokawa Onsen'], themes: ['relaxation', 'nature'] },
  },
  cursor: {
    category: 'Technology',
    subcategories: ['AI', 'developer tools'],
    headline: 'Cursor: an AI code editor for developers',
    summary: 'Cursor is an AI-powered coding tool that writes and edits code with you.',
    image_details: { extracted_text: ['Cursor', 'The AI Code Editor'] },
  },
  perfume: {
    category: 'Beauty',
    subcategories: ['perfume'],
    headline: 'Le Labo Santal 33 perfume review',
    summary: 'A woody fragrance with sandalwood and cardamom notes.',
    image_details: { extracted_text: ['Santal 33'] },
  },
} satisfies Record<string, Partial<AnalysisInput>>;

export interface TwoUserCollection {
  h: Harness;
  alice: Record<string, string>;
  bob: Record<string, string>;
  /** Alice's item ids by name, plus `bobRamen`, Bob's own ramen item. */
  ids: Record<string, string>;
  close(): Promise<void>;
}

/**
 * Alice's items (through the real pipeline, scripted vision, local embedder) and one ramen item
 * of Bob's that no search of Alice's may ever return; jwt mode with two tokens.
 */
export async function createTwoUserCollection(
  db: PGliteDatabase,
  opts: { items?: Record<string, Partial<AnalysisInput>>; seed?: number; overrides?: ServiceOverrides; env?: Record<string, string> } = {},
): Promise<TwoUserCollection> {
  const issuer = await startJwtIssuer();
  const h = await createHarness(
    db,
    { AUTH_MODE: 'jwt', JWT_ISSUER: issuer.issuer, JWT_JWKS_URL: issuer.jwksUrl, ...opts.env },
    opts.overrides,
  );
  const alice = { authorization: `Bearer ${await issuer.sign({ sub: 'alice' })}` };
  const bob = { authorization: `Bearer ${await issuer.sign({ sub: 'bob' })}` };
  const ids: Record<string, string> = {};
  let seed = opts.seed ?? 100;
  const items = opts.items ?? SAMPLE_ITEMS;
  for (const [name, analysis] of Object.entries(items)) {
    h.vision.setScript([analysis]);
    const up = await h.upload(await solidImage('png', seed++), `${name}.png`, alice);
    expect(up.status).toBe(201);
    ids[name] = up.body.id;
    await h.services.bus.idle();
  }
  h.vision.setScript([{ ...SAMPLE_ITEMS.ramen, headline: 'Bob’s ramen list: Ichiran Fukuoka' }]);
  const bobs = await h.upload(await solidImage('png', seed++), 'bob.png', bob);
  expect(bobs.status).toBe(201);
  ids.bobRamen = bobs.body.id;
  await h.services.bus.idle();
  return {
    h,
    alice,
    bob,
    ids,
    async close() {
      await h.close();
      await issuer.close();
    },
  };
}
