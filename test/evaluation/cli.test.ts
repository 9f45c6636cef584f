import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/shared/config.js';
import { freshDataDirProblem, runEvalCommand, type RunImport } from '../../src/cli/commands/eval.js';
import { createHttpSearcher } from '../../src/cli/evaluation/index.js';
import type { ImportReport } from '../../src/cli/importer/types.js';
import { FakeSearcher, defaultScript, tinyDataset } from './fixtures.js';

let tmp: string;
let datasetFile: string;
let server: Server;
let baseUrl: string;
const seen: { method?: string; url?: string; headers: IncomingHttpHeaders; body: any }[] = [];

/** A tiny stand-in for `POST /search`: answers from the fake's script; special queries fail. */
function startServer(): Promise<void> {
  const fake = new FakeSearcher(defaultScript);
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', async () => {
      const body = raw ? JSON.parse(raw) : undefined;
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      if (req.method !== 'POST' || req.url !== '/search') return send(404, { error: { code: 'not_found', message: 'no route' } });
      if (body.query === 'explode') return send(500, { error: { code: 'internal', message: 'search fell over' } });
      if (body.query === 'garbage') return send(200, { hello: 'world' });
      send(200, await fake.search('server-user', body));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      resolve();
    }),
  );
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'collections-eval-cli-'));
  datasetFile = path.join(tmp, 'queries.json');
  await writeFile(datasetFile, JSON.stringify(tinyDataset));
  await startServer();
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('HTTP mode (--url)', () => {
  it('POSTs {query, search_type, top_k} to /search, scores the replies, writes both reports, never opens the local data dir', async () => {
    seen.length = 0;
    const dataDir = path.join(tmp, 'never-created');
    const lines: string[] = [];
    const out = path.join(tmp, 'http-out');
    const { report, files } = await runEvalCommand(
      loadConfig({ COLLECTIONS_DATA_DIR: dataDir }),
      { dataset: datasetFile, out, url: `${baseUrl}/`, searchTypes: 'bm25,vector', k: '1,5', token: 't0k3n', warmup: false },
      { log: (l) => lines.push(l) },
    );
    expect(existsSync(dataDir)).toBe(false);
    expect(seen).toHaveLength(8);
    for (const r of seen) {
      expect(r.method).toBe('POST');
      expect(r.url).toBe('/search');
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers.authorization).toBe('Bearer t0k3n');
      expect(Object.keys(r.body).sort()).toEqual(['query', 'search_type', 'top_k']);
      expect(r.body.top_k).toBe(10);
    }
    expect(seen.map((r) => r.body.search_type)).toEqual(['bm25', 'bm25', 'bm25', 'bm25', 'vector', 'vector', 'vector', 'vector']);
    expect(report.config).toMatchObject({ mode: 'http', url: `${baseUrl}/`, user_id: null, k: [1, 5] });
    expect(report.summary.bm25).toMatchObject({
      mrr: expect.closeTo(2.5 / 3, 5),
      true_negatives: 1,
      single_item_at_rank1: { hits: 1, total: 2 },
      errors: 0,
    });
    expect(report.summary.vector).toMatchObject({ true_negatives: 0, false_positives: 1 });
    expect(report.summary.bm25!.retrieval_time_ms).toEqual({ p50: 5, p95: 5 });
    expect(files).toEqual({ json: path.join(out, 'report.json'), md: path.join(out, 'report.md') });
    expect(JSON.parse(await readFile(files.json, 'utf8')).summary.bm25['precision@1']).toBeCloseTo(2 / 3, 5);
    expect(await readFile(files.md, 'utf8')).toContain('over HTTP at');
    expect(lines.join('\n')).toMatch(/search\s+MRR\s+NDCG@10/);
    expect(lines.join('\n')).toContain(`report: ${files.json}`);
  });

  it('turns server errors, malformed replies and refused connections into per-query errors', async () => {
    const s = createHttpSearcher(baseUrl);
    await expect(s.search('u', { query: 'explode', search_type: 'bm25', top_k: 10 })).rejects.toThrow(
      /answered 500 internal: search fell over/,
    );
    await expect(s.search('u', { query: 'garbage', search_type: 'bm25', top_k: 10 })).rejects.toThrow(/not a SearchResponse/);
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    await expect(createHttpSearcher(`http://127.0.0.1:${port}`).search('u', { query: 'x' })).rejects.toThrow(/ECONNREFUSED/);
    expect(() => createHttpSearcher('ftp://example.org')).toThrow(/http\(s\) URL/);
    expect(() => createHttpSearcher('not a url')).toThrow(/http\(s\) URL/);

    const ds = path.join(tmp, 'errors.json');
    await writeFile(
      ds,
      JSON.stringify({
        queries: [
          { query_id: 'e1', query_text: 'explode', query_type: 'semantic', expected_items: [{ item_id: 'A', relevance: 'high' }] },
          { query_id: 'e2', query_text: 'garbage', query_type: 'edge-case-no-results', expected_items: [] },
          {
            query_id: 'ok',
            query_text: 'teamlab fukuoka',
            query_type: 'single-item-precision',
            expected_items: [{ item_id: 'A', relevance: 'high' }],
          },
        ],
      }),
    );
    const lines: string[] = [];
    const { report } = await runEvalCommand(
      loadConfig({ COLLECTIONS_DATA_DIR: path.join(tmp, 'unused') }),
      { dataset: ds, out: path.join(tmp, 'err-out'), url: baseUrl, searchTypes: 'bm25' },
      { log: (l) => lines.push(l) },
    );
    expect(report.summary.bm25).toMatchObject({ errors: 2, evaluated: 2, mrr: 0.5, true_negatives: 0, edge_queries: 1 });
    expect(report.queries.map((q) => q.status)).toEqual(['error', 'error', 'pass']);
    expect(lines.join('\n')).toMatch(/2 search calls failed, e\.g\. POST .* answered 500/);
  });
});

describe('--setup golden', () => {
  const goldenFiles = async () => {
    const dir = path.join(tmp, 'golden');
    await mkdir(path.join(dir, 'images'), { recursive: true });
    await writeFile(path.join(dir, 'analyses.json'), '{"golden_analyses": []}');
    return { analyses: path.join(dir, 'analyses.json'), images: path.join(dir, 'images') };
  };

  it('refuses a data directory that is not empty, and says what to do', async () => {
    const dataDir = path.join(tmp, 'used');
    await mkdir(path.join(dataDir, 'pg'), { recursive: true });
    const config = loadConfig({ COLLECTIONS_DATA_DIR: dataDir });
    expect(await freshDataDirProblem(config)).toMatch(/not empty \(pg\)/);
    await expect(
      runEvalCommand(config, { dataset: datasetFile, out: path.join(tmp, 'x'), setup: 'golden' }, { log: () => {} }),
    ).rejects.toThrow(/--setup golden needs a fresh data directory, but COLLECTIONS_DATA_DIR \(.*used\) is not empty/);
    expect(await freshDataDirProblem(loadConfig({ COLLECTIONS_DATA_DIR: path.join(tmp, 'missing') }))).toBeNull();
    expect(
      await freshDataDirProblem(loadConfig({ COLLECTIONS_DATA_DIR: path.join(tmp, 'x', 'y'), DATABASE_URL: 'postgres://h/db' })),
    ).toMatch(/does not run with DATABASE_URL/);
  });

  it('refuses --setup with --url and unknown setups', async () => {
    const config = loadConfig({ COLLECTIONS_DATA_DIR: path.join(tmp, 'missing') });
    await expect(
      runEvalCommand(config, { dataset: datasetFile, out: tmp, setup: 'golden', url: baseUrl }, { log: () => {} }),
    ).rejects.toThrow(/cannot be combined with --url/);
    await expect(runEvalCommand(config, { dataset: datasetFile, out: tmp, setup: 'export' }, { log: () => {} })).rejects.toThrow(
      /only "golden"/,
    );
  });

  it('says where the golden files were looked for when they are missing', async () => {
    const config = loadConfig({ COLLECTIONS_DATA_DIR: path.join(tmp, 'missing') });
    await expect(
      runEvalCommand(
        config,
        { dataset: datasetFile, out: tmp, setup: 'golden' },
        { log: () => {}, env: { COLLECTIONS_SHARED_DIR: path.join(tmp, 'no-shared') } },
      ),
    ).rejects.toThrow(/golden analyses not found: .*no-shared\/data\/golden\/analyses\.json/);
  });

  it('imports into a fresh data directory with runImport, then evaluates in process for that user', async () => {
    const golden = await goldenFiles();
    const dataDir = path.join(tmp, 'fresh');
    const calls: Parameters<RunImport>[1][] = [];
    const runImport: RunImport = async (_services, options) => {
      calls.push(options);
      return {
        format: 'golden',
        user_id: options.user ?? 'local',
        source: options.source,
        images_dir: options.images ?? null,
        embedding_model: 'local/test',
        items_in: 3,
        analyses_in: 3,
        imported: 3,
        resumed: 0,
        skipped_existing: 0,
        skipped_duplicate: [],
        failed: [],
        warnings: [],
        remapped_ids: { A: 'A-renumbered' },
        items_out: 3,
        analyses_out: 3,
        items_without_analysis: [],
        images_missing: [],
        findable_by_headline: { checked: 3, found: 3, not_found: [], no_headline: [] },
        ok: true,
        duration_ms: 1,
      } satisfies ImportReport;
    };
    const searcher = new FakeSearcher();
    const lines: string[] = [];
    const { report } = await runEvalCommand(
      loadConfig({ COLLECTIONS_DATA_DIR: dataDir }),
      {
        dataset: datasetFile,
        out: path.join(tmp, 'setup-out'),
        setup: 'golden',
        golden: golden.analyses,
        images: golden.images,
        user: 'eve',
        searchTypes: 'hybrid',
      },
      { runImport, searcher, log: (l) => lines.push(l) },
    );
    expect(calls).toEqual([{ format: 'golden', source: golden.analyses, images: golden.images, user: 'eve' }]);
    expect(report.setup).toMatchObject({ format: 'golden', imported: 3, failed: 0, data_dir: dataDir, remapped_ids: 1 });
    // expected ids follow the import's renumbering
    expect(report.queries.find((q) => q.id === 'q1')!.expected).toEqual([{ item_id: 'A-renumbered', relevance: 'high' }]);
    expect(report.config).toMatchObject({ mode: 'in-process', user_id: 'eve', search_types: ['hybrid'], warmup: true });
    expect(searcher.calls.every((c) => c.userId === 'eve')).toBe(true);
    expect(searcher.calls).toHaveLength(5); // warm-up + 4
    expect(existsSync(path.join(dataDir, 'pg'))).toBe(true);
    // the fake import stored nothing, so the command warns about an empty collection
    expect(lines.join('\n')).toMatch(/warning: user eve has no items/);
  });
});

describe('collections eval (the real command line)', () => {
  it('prints the report path on stdout, the table on stderr, and exits 0', async () => {
    const out = path.join(tmp, 'cli-out');
    const tsx = path.resolve('node_modules/tsx/dist/cli.mjs');
    const child = spawn(
      process.execPath,
      [tsx, 'src/cli/main.ts', 'eval', '--dataset', datasetFile, '--out', out, '--url', baseUrl, '--search-types', 'bm25', '--k', '1,3'],
      { env: { ...process.env, COLLECTIONS_DATA_DIR: path.join(tmp, 'cli-data') }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(stderr).toMatch(/bm25\s+0\.833/);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(path.join(out, 'report.json'));
    expect(JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8')).config.k).toEqual([1, 3]);
  });
});
