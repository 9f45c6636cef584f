import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { PGliteDatabase } from '../../src/adapters/database/pglite.js';
import { objectKeys } from '../../src/domain/item.js';
import { analyzeStep, embedStep, processImageStep } from '../../src/services/pipeline/steps.js';
import { resumeUnfinished } from '../../src/services/pipeline/pipeline.js';
import { ItemsRepository } from '../../src/repositories/items.js';
import { AnalysesRepository } from '../../src/repositories/analyses.js';
import { sha256Hex } from '../../src/services/pipeline/image/process.js';
import type { PipelineEvent } from '../../src/ports/event-bus.js';
import { openTestDatabase, resetDatabase } from '../helpers/db.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { solidImage } from '../helpers/images.js';

let db: PGliteDatabase;
let h: Harness;
const USER = 'user-a';

beforeAll(async () => {
  db = await openTestDatabase();
  h = await createHarness(db);
});
afterAll(async () => {
  await h?.close();
  await db?.close();
});
beforeEach(async () => {
  await h.services.bus.idle();
  await resetDatabase(db);
  h.vision.setScript([{}]);
});

/** An item as the API leaves it: row + stored original, status uploaded, no event sent. */
async function seedUploadedItem(seed: number) {
  const bytes = await solidImage('png', seed);
  const id = randomUUID();
  const key = objectKeys.original(USER, id, 'png');
  await h.services.store.put(key, bytes, 'image/png');
  await new ItemsRepository(db).insertOrGetDuplicate({
    id,
    user_id: USER,
    filename: `${id}.png`,
    original_filename: 'x.png',
    mime_type: 'image/png',
    file_size: bytes.length,
    sha256: sha256Hex(bytes),
    original_key: key,
  });
  return { item_id: id, user_id: USER, original_key: key };
}

/** Records what a step publishes instead of running the next step. */
function captureEvents() {
  const events: PipelineEvent[] = [];
  const deps = { ...h.services.steps, bus: { ...h.services.bus, publish: async (e: PipelineEvent) => void events.push(e) } };
  return { deps, events };
}

describe('process_image', () => {
  it('tags the thumbnail kind=thumbnail (what the bucket lifecycle rule matches) and nothing else', async () => {
    const ref = await seedUploadedItem(7);
    const puts: { key: string; tags: unknown }[] = [];
    const store = h.services.steps.store;
    const deps = {
      ...captureEvents().deps,
      // The real store, with put() recorded on the way through.
      store: Object.assign(Object.create(store) as typeof store, {
        put: (key: string, body: Uint8Array, type: string, options?: { tags?: Readonly<Record<string, string>> }) => {
          puts.push({ key, tags: options?.tags });
          return store.put(key, body, type, options);
        },
      }),
    };
    await processImageStep(deps, ref);
    expect(puts).toEqual([{ key: objectKeys.thumbnail(USER, ref.item_id), tags: { kind: 'thumbnail' } }]);
  });
});

describe('steps are idempotent', () => {
  it('processImage twice stores one thumbnail and announces once', async () => {
    const ref = await seedUploadedItem(1);
    const { deps, events } = captureEvents();
    await processImageStep(deps, ref);
    const first = await new ItemsRepository(db).get(USER, ref.item_id);
    await processImageStep(deps, ref);
    const second = await new ItemsRepository(db).get(USER, ref.item_id);
    expect(events.map((e) => e.type)).toEqual(['ImageProcessed']);
    expect(first?.thumbnail_key).toBe(objectKeys.thumbnail(USER, ref.item_id));
    expect(second?.updated_at).toEqual(first?.updated_at);
    expect(first).toMatchObject({ width: 64, height: 48, status: 'processing' });
  });

  it('analyze twice makes one version; embed twice writes one row', async () => {
    const ref = await seedUploadedItem(2);
    const { deps, events } = captureEvents();
    await processImageStep(deps, ref);
    await analyzeStep(deps, ref);
    await analyzeStep(deps, ref);
    expect(h.vision.calls).toHaveLength(1);
    expect(await new AnalysesRepository(db).listForItem(USER, ref.item_id)).toHaveLength(1);

    await embedStep(deps, ref);
    const row1 = await db.query<{ updated_at: Date }>('SELECT updated_at FROM search_rows WHERE item_id = $1', [ref.item_id]);
    await embedStep(deps, ref);
    const row2 = await db.query<{ updated_at: Date }>('SELECT updated_at FROM search_rows WHERE item_id = $1', [ref.item_id]);
    expect(row2.rows[0]?.updated_at).toEqual(row1.rows[0]?.updated_at);
    expect(events.map((e) => e.type)).toEqual(['ImageProcessed', 'AnalysisComplete', 'ItemIndexed']);
    expect((await new ItemsRepository(db).get(USER, ref.item_id))?.status).toBe('ready');
  });

  it('a step for a deleted item does nothing', async () => {
    const ref = await seedUploadedItem(3);
    await new ItemsRepository(db).delete(USER, ref.item_id);
    const { deps, events } = captureEvents();
    await processImageStep(deps, ref);
    expect(events).toHaveLength(0);
  });

  it('a step never touches another user’s item', async () => {
    const ref = await seedUploadedItem(4);
    const { deps, events } = captureEvents();
    await processImageStep(deps, { ...ref, user_id: 'user-b' });
    expect(events).toHaveLength(0);
    expect((await new ItemsRepository(db).get(USER, ref.item_id))?.status).toBe('uploaded');
  });
});

describe('after a crash or restart', () => {
  it('unfinished items resume by themselves at the step their state shows', async () => {
    const uploaded = await seedUploadedItem(10);
    // One item crashed after analysis (analyzed, no search row), one mid-processing.
    const analyzed = await seedUploadedItem(11);
    const { deps } = captureEvents();
    await processImageStep(deps, analyzed);
    await analyzeStep(deps, analyzed);
    const processing = await seedUploadedItem(12);
    await processImageStep(deps, processing);
    h.vision.calls = [];

    const resumed = await resumeUnfinished(h.services.steps);
    expect(resumed).toBe(3);
    await h.services.bus.idle();
    const items = new ItemsRepository(db);
    for (const ref of [uploaded, analyzed, processing]) {
      expect((await items.get(USER, ref.item_id))?.status).toBe('ready');
    }
    // The analysed item was not sent to the vision model again.
    expect(h.vision.calls).toHaveLength(2);
    expect(await new AnalysesRepository(db).listForItem(USER, analyzed.item_id)).toHaveLength(1);
  });

  it('a fresh server resumes what the last one left', async () => {
    const ref = await seedUploadedItem(13);
    const next = await createHarness(db, {}, { store: h.services.store });
    try {
      await next.services.bus.idle();
      expect((await new ItemsRepository(db).get(USER, ref.item_id))?.status).toBe('ready');
    } finally {
      await next.close();
    }
  });
});
