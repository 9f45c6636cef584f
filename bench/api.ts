/**
 * npm run bench:api — p50/p95 of GET /items and GET /items/{id} with 1,000 items under 20
 * concurrent keep-alive connections against the real server (PGlite, local home).
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/shared/config.js';
import { startServer } from '../src/app/server.js';
import { AnalysisSchema } from '../src/domain/analysis.js';
import { insertReadyItems } from './lib/seed-items.js';
import { round, summarise } from './lib/stats.js';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 1000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 4000);

/** Rows as the pipeline leaves them (ready, with one analysis each), inserted in bulk. */
async function seed(db: { query: (sql: string, p?: unknown[]) => Promise<unknown> }, userId: string) {
  const ids: string[] = [];
  for (let start = 0; start < ITEMS; start += 250) {
    const batch = Array.from({ length: Math.min(250, ITEMS - start) }, (_, k) => start + k);
    const rows = batch.map((i) => {
      const id = randomUUID();
      ids.push(id);
      const analysis = AnalysisSchema.parse({
        category: ['Travel', 'Food', 'Technology', 'Beauty'][i % 4],
        subcategories: ['bench'],
        headline: `Item ${i}: a saved screenshot`,
        summary: `Benchmark item number ${i}, with a summary long enough to look like a real one.`,
        image_details: { extracted_text: [`line ${i}`, 'Open 10:00 - 22:00'] },
      });
      return { id, i, analysis };
    });
    await insertReadyItems(
      db,
      userId,
      rows.map((r) => ({ id: r.id, n: r.i, analysis: r.analysis })),
    );
  }
  return ids;
}

async function load(base: string, pathFor: (i: number) => string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const get = (url: string) =>
    new Promise<number>((resolve, reject) => {
      const req = http.get(url, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < REQUESTS) {
        const i = next++;
        const t = performance.now();
        const status = await get(`${base}${pathFor(i)}`);
        latencies.push(performance.now() - t);
        if (status !== 200) errors++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { ...summarise(latencies), errors, rps: round(REQUESTS / seconds) };
}

async function main() {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'collections-bench-api-'));
  const server = await startServer(loadConfig({ ...process.env, COLLECTIONS_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn' }));
  try {
    const ids = await seed(server.services.db, server.services.config.auth.localUserId);
    // Warm-up: JIT and PGlite caches.
    await load(server.url, (i) => `/items/${ids[i % ids.length]}`);
    const list = await load(server.url, (i) => `/items?limit=20&offset=${(i * 20) % ITEMS}`);
    const detail = await load(server.url, (i) => `/items/${ids[(i * 7919) % ids.length]}`);
    const report = {
      items: ITEMS,
      connections: CONNECTIONS,
      requests_per_endpoint: REQUESTS,
      'GET /items': list,
      'GET /items/{id}': detail,
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
