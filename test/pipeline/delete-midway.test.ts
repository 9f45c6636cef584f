import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PGliteDatabase } from '../../src/adapters/database/pglite.js';
import { createEmbedder } from '../../src/adapters/embedder/index.js';
import { createObjectStore } from '../../src/adapters/object-store/index.js';
import { loadConfig } from '../../src/shared/config.js';
import { log } from '../../src/shared/logger.js';
import { objectKeys } from '../../src/domain/item.js';
import type { Embedder } from '../../src/ports/embedder.js';
import type { ObjectStore } from '../../src/ports/object-store.js';
import type { VisionInput, VisionResult } from '../../src/ports/vision.js';
import { startLocalS3, type LocalS3 } from '../aws/helpers/s3.js';
import { openTestDatabase, resetDatabase } from '../helpers/db.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { solidImage } from '../helpers/images.js';
import { ScriptedVision } from '../helpers/scripted-vision.js';

/**
 * Issue 15 part 4: an item deleted while the pipeline works on it leaves no object, no row and
 * no retrying step behind, whatever step it was at — on the filesystem store and on S3 (s3rver
 * on loopback). Each step is held at a gate, the item is deleted through the API, then the
 * step is let go.
 */

/** A promise the test opens: a step waits at it; `reached` says the step got there. */
class Gate {
  private open!: () => void;
  private hit!: () => void;
  readonly opened = new Promise<void>((r) => (this.open = r));
  readonly reached = new Promise<void>((r) => (this.hit = r));
  async pass() {
    this.hit();
    await this.opened;
  }
  release() {
    this.open();
  }
}

type Point = 'before thumbnail' | 'after thumbnail' | 'in analysis' | 'in embedding';
let gates: Partial<Record<Point, Gate>> = {};
const at = (point: Point) => gates[point]?.pass();

/** The real store, with gates around the thumbnail's put. */
const gatedStore = (real: ObjectStore): ObjectStore => ({
  kind: real.kind,
  async put(key, body, type, options) {
    const thumbnail = key.includes('/thumbnails/') || key.endsWith('.webp');
    if (thumbnail) await at('before thumbnail');
    await real.put(key, body, type, options);
    if (thumbnail) await at('after thumbnail');
  },
  get: (key) => real.get(key),
  exists: (key) => real.exists(key),
  delete: (key) => real.delete(key),
});

class GatedVision extends ScriptedVision {
  override async analyze(input: VisionInput): Promise<VisionResult> {
    await at('in analysis');
    return super.analyze(input);
  }
}

const gatedEmbedder = (real: Embedder): Embedder =>
  Object.assign(Object.create(real) as Embedder, {
    embed: async (texts: string[], kind: 'document' | 'query') => {
      if (kind === 'document') await at('in embedding');
      return real.embed(texts, kind);
    },
  });

let s3: LocalS3;
let db: PGliteDatabase;
const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };

beforeAll(async () => {
  s3 = await startLocalS3();
  // s3rver's own credentials, as the SDK reads them from the environment.
  process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
  db = await openTestDatabase();
}, 60_000);
afterAll(async () => {
  await db?.close();
  await s3?.stop();
  for (const [name, value] of [
    ['AWS_ACCESS_KEY_ID', saved.id],
    ['AWS_SECRET_ACCESS_KEY', saved.secret],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

async function harnessOn(storeKind: 'filesystem' | 's3'): Promise<{ h: Harness; vision: GatedVision }> {
  const env = storeKind === 's3' ? s3.env : {};
  const dataDir = await mkdtemp(path.join(tmpdir(), 'collections-delete-'));
  const config = loadConfig({ COLLECTIONS_DATA_DIR: dataDir, ...env });
  const vision = new GatedVision();
  const h = await createHarness(db, env, {
    store: gatedStore(createObjectStore(config.objectStore)),
    embedder: gatedEmbedder(createEmbedder(config.embedding)),
    vision: () => vision,
  });
  const close = h.close;
  h.close = async () => {
    await close();
    await rm(dataDir, { recursive: true, force: true });
  };
  return { h, vision };
}

describe.each(['filesystem', 's3'] as const)('deleting an item mid-pipeline (%s store)', (storeKind) => {
  let h: Harness;
  let vision: GatedVision;
  beforeAll(async () => {
    await resetDatabase(db);
    ({ h, vision } = await harnessOn(storeKind));
    expect(h.services.store.kind).toBe(storeKind);
  });
  afterAll(async () => {
    await h?.close();
  });

  it.each<Point>(['before thumbnail', 'after thumbnail', 'in analysis', 'in embedding'])(
    '%s: nothing is left and nothing retries',
    async (point) => {
      const gate = new Gate();
      gates = { [point]: gate };
      const warnings = vi.spyOn(log, 'warn');
      vision.setScript([{}]);
      const seed = 1600 + ['before thumbnail', 'after thumbnail', 'in analysis', 'in embedding'].indexOf(point);
      const up = await h.upload(await solidImage('png', seed, { width: 300, height: 200 }), 'midway.png');
      expect(up.status).toBe(201);
      const id: string = up.body.id;
      const user = 'local';
      await gate.reached;

      const del = await h.call('DELETE', `/items/${id}`);
      expect(del).toMatchObject({ status: 200, body: { deleted: true, id } });
      gate.release();
      await h.services.bus.idle();

      // No object: the original, the thumbnail (whether or not the row knew of it).
      const original = objectKeys.original(user, id, 'png');
      expect(await h.services.store.exists(original)).toBe(false);
      expect(await h.services.store.exists(objectKeys.thumbnail(user, id))).toBe(false);
      // No row: the item, its analyses, its search row.
      for (const table of ['items', 'analyses', 'search_rows']) {
        const column = table === 'items' ? 'id' : 'item_id';
        const r = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${column} = $1`, [id]);
        expect(r.rows[0]!.n, table).toBe(0);
      }
      // The steps stopped: the model read it at most once (no retry on the vanished item), and the
      // API answers 404 for it.
      expect(vision.calls.length).toBeLessThanOrEqual(1);
      // …and no step failed or retried over it (the foreign-key error used to be retried).
      const aboutIt = warnings.mock.calls.filter(([, fields]) => (fields as { item_id?: string } | undefined)?.item_id === id);
      warnings.mockRestore();
      expect(aboutIt.map(([message]) => message)).toEqual([]);
      expect((await h.call('GET', `/items/${id}`)).status).toBe(404);
    },
  );
});
