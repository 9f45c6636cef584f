/**
 * npm run bench:load — the local server under sustained load: BENCH_CONNECTIONS (50)
 * keep-alive connections for BENCH_SECONDS (60), half of them searching (POST /search, hybrid,
 * a query each time) and half listing (GET /items?limit=48), against a real `collections serve`
 * in its own process (the load generator must not share the server's one JavaScript thread)
 * on a collection of BENCH_ITEMS (400) ready items. BENCH_ROUTE=search or items puts every
 * connection on one route.
 *
 * Prints per route: requests, p50/p95/p99/max latency of the answered ones, requests per
 * second, errors (anything but 200 and 503), 503s (a server shedding load, whose clients here
 * wait a second before the next request) and client timeouts (10 s). Issue 15's target: 0
 * errors, search p99 ≤ 500 ms, no request over 2 s.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/shared/config.js';
import { createServices } from '../src/app/services.js';
import { AnalysisSchema } from '../src/domain/analysis.js';
import { embedStep } from '../src/services/pipeline/steps.js';
import { insertReadyItems } from './lib/seed-items.js';
import { round, summarise } from './lib/stats.js';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const ITEMS = Number(process.env.BENCH_ITEMS ?? 400);
const CLIENT_TIMEOUT_MS = 10_000;

const PLACES = ['Fukuoka', 'Kyoto', 'Tokyo', 'Osaka', 'Sapporo', 'Seoul', 'Taipei', 'Bangkok', 'Paris', 'Lisbon'];
const THINGS = [
  'ramen',
  'onsen',
  'coffee',
  'perfume',
  'museum',
  'sushi',
  'spa',
  'vintage shop',
  'night market',
  'temple',
  'AI coding tool',
  'bakery',
];
const CATEGORIES = ['Food', 'Travel', 'Technology', 'Beauty', 'Shopping'];

/** Ready items with analyses and search rows, as the pipeline leaves them. */
async function seed(dataDir: string): Promise<void> {
  const services = await createServices(loadConfig({ ...process.env, COLLECTIONS_DATA_DIR: dataDir, LOG_LEVEL: 'warn' }));
  try {
    const userId = services.config.auth.localUserId;
    const rows = Array.from({ length: ITEMS }, (_, n) => {
      const place = PLACES[n % PLACES.length]!;
      const thing = THINGS[(n * 7) % THINGS.length]!;
      return {
        id: randomUUID(),
        n,
        analysis: AnalysisSchema.parse({
          category: CATEGORIES[n % CATEGORIES.length],
          subcategories: [thing],
          headline: `${thing} in ${place} #${n}`,
          summary: `A saved post about a ${thing} in ${place}, with opening hours and prices.`,
          image_details: { extracted_text: [`${thing} ${place}`, 'Open 10:00 - 22:00', `from ${500 + n} yen`] },
        }),
      };
    });
    await insertReadyItems(services.db, userId, rows);
    for (const r of rows) await embedStep(services.steps, { item_id: r.id, user_id: userId });
  } finally {
    await services.close();
  }
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

async function startServer(dataDir: string, port: number) {
  // `node --import tsx` keeps the server in this one child process.
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('src/cli/main.ts'), 'serve'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', COLLECTIONS_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (const until = Date.now() + 60_000; Date.now() < until; ) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    if (
      await fetch(`${base}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { child, base };
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGKILL');
  throw new Error('server did not start');
}

interface Sample {
  ms: number;
  status: number;
}

function request(agent: http.Agent, base: string, route: 'search' | 'items', i: number): Promise<Sample> {
  const t = performance.now();
  const search = route === 'search';
  const body = search
    ? JSON.stringify({ query: `${THINGS[i % THINGS.length]} ${i % 3 === 0 ? PLACES[i % PLACES.length] : ''}`.trim(), top_k: 10 })
    : undefined;
  const url = search ? `${base}/search` : `${base}/items?limit=48&offset=${(i * 48) % ITEMS}`;
  return new Promise((resolve) => {
    const req = http.request(
      url,
      {
        agent,
        method: search ? 'POST' : 'GET',
        headers: search ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body!) } : {},
        timeout: CLIENT_TIMEOUT_MS,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ ms: performance.now() - t, status: res.statusCode ?? 0 }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ ms: performance.now() - t, status: -1 }));
    req.end(body);
  });
}

function report(samples: Sample[], seconds: number) {
  const served = samples.filter((s) => s.status === 200);
  return {
    requests: samples.length,
    ...summarise(served.map((s) => s.ms)),
    p99: round(
      percentile(
        served.map((s) => s.ms),
        99,
      ),
    ),
    worst_any: round(Math.max(0, ...samples.map((s) => s.ms))),
    rps: round(served.length / seconds),
    errors: samples.filter((s) => s.status !== 200 && s.status !== 503).length,
    shed_503: samples.filter((s) => s.status === 503).length,
    timeouts: samples.filter((s) => s.status === -1).length,
    over_2s: samples.filter((s) => s.ms > 2000).length,
  };
}

function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

async function main() {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'collections-bench-load-'));
  let child: ReturnType<typeof spawn> | null = null;
  try {
    process.stdout.write(`seeding ${ITEMS} ready items…\n`);
    await seed(dataDir);
    const server = await startServer(dataDir, await freePort());
    child = server.child;
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
    // Warm-up: JIT, the embedder, PGlite's caches.
    for (let i = 0; i < 20; i++) await request(agent, server.base, i % 2 ? 'search' : 'items', i);

    process.stdout.write(`${CONNECTIONS} connections for ${SECONDS} s (half /search, half /items)…\n`);
    const samples = { search: [] as Sample[], items: [] as Sample[] };
    const until = performance.now() + SECONDS * 1000;
    let n = 0;
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async (_, c) => {
        const only = process.env.BENCH_ROUTE as 'search' | 'items' | undefined;
        const route = only ?? (c % 2 === 0 ? 'search' : 'items');
        while (performance.now() < until) {
          const s = await request(agent, server.base, route, n++);
          samples[route].push(s);
          // A shed request is retried after the server's Retry-After, as a client would.
          if (s.status === 503) await new Promise((r) => setTimeout(r, 1000));
        }
      }),
    );
    agent.destroy();
    const out = {
      connections: CONNECTIONS,
      seconds: SECONDS,
      items: ITEMS,
      search: report(samples.search, SECONDS),
      items_list: report(samples.items, SECONDS),
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } finally {
    child?.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
