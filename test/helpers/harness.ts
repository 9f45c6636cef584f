import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/shared/config.js';
import { createServices, type ServiceOverrides, type Services } from '../../src/app/services.js';
import { createApp } from '../../src/api/app.js';
import type { PGliteDatabase } from '../../src/adapters/database/pglite.js';
import { ScriptedVision } from './scripted-vision.js';
import { createVisionProvider } from '../../src/adapters/vision/index.js';

export interface Harness {
  services: Services;
  app: ReturnType<typeof createApp>;
  vision: ScriptedVision;
  dataDir: string;
  /** `app.request` with JSON parsing of the reply. */
  call(
    method: string,
    url: string,
    init?: { body?: BodyInit; headers?: Record<string, string>; json?: unknown },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  upload(bytes: Uint8Array, filename?: string, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/**
 * The real app and pipeline over a shared PGlite, a temp-dir object store and the local
 * embedder; only the paid vision API is replaced (ScriptedVision).
 */
export async function createHarness(
  db: PGliteDatabase,
  env: Record<string, string> = {},
  overrides: ServiceOverrides = {},
): Promise<Harness> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'collections-test-'));
  const config = loadConfig({
    COLLECTIONS_DATA_DIR: dataDir,
    PIPELINE_RETRY_BASE_MS: '5',
    PIPELINE_MAX_ATTEMPTS: '3',
    ...env,
  });
  const vision = new ScriptedVision();
  // The scripted model answers for the configured provider; asking for another provider goes
  // through the real factory (so its configuration errors are what a user would get).
  const pick = (o?: { provider?: string; model?: string }) =>
    o?.provider ? createVisionProvider(config.vision, config.tracing, o) : vision;
  const services = await createServices(config, { db, vision: pick, ...overrides });
  const app = createApp(services);

  const call: Harness['call'] = async (method, url, init = {}) => {
    const headers = { ...(init.headers ?? {}) };
    let body = init.body;
    if (init.json !== undefined) {
      body = JSON.stringify(init.json);
      headers['content-type'] = 'application/json';
    }
    const res = await app.request(url, { method, body, headers });
    const type = res.headers.get('content-type') ?? '';
    const parsed = type.includes('json') ? await res.json() : Buffer.from(await res.arrayBuffer());
    return { status: res.status, body: parsed, headers: res.headers };
  };

  return {
    services,
    app,
    vision,
    dataDir,
    call,
    upload: (bytes, filename = 'shot.png', headers = {}) => {
      const form = new FormData();
      form.append('file', new File([new Uint8Array(bytes)], filename));
      return call('POST', '/items', { body: form, headers });
    },
    async close() {
      await services.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
