import { afterAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/shared/config.js';
import { runEvalCommand, sharedDir } from '../../src/cli/commands/eval.js';
import { renderSummaryTable } from '../../src/cli/evaluation/index.js';

/**
 * The real `collections eval --setup golden` over the real golden set (../shared, or
 * COLLECTIONS_SHARED_DIR): real importer, real search, local embedder, in process.
 * Skips with the reason when the shared data or the modules are not there.
 */
const shared = sharedDir();
const golden = path.join(shared, 'data', 'golden');
const needed = [
  path.join(golden, 'analyses.json'),
  path.join(golden, 'images'),
  path.join(golden, 'queries.dev.json'),
  path.resolve('src/cli/importer/index.ts'),
  path.resolve('src/services/search/index.ts'),
];
const missing = needed.filter((p) => !existsSync(p));
const reason = missing.length ? `skipped: missing ${missing.join(', ')}` : '';
if (reason) console.warn(`golden eval integration ${reason}`);

let tmp: string | undefined;
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe.skipIf(missing.length > 0)(`collections eval --setup golden over the real golden set ${reason}`, () => {
  it('imports the 55 analyses into a fresh data dir and evaluates bm25, vector and hybrid', { timeout: 600_000 }, async () => {
    tmp = await mkdtemp(path.join(tmpdir(), 'collections-golden-eval-'));
    const lines: string[] = [];
    const { report, files } = await runEvalCommand(
      loadConfig({ COLLECTIONS_DATA_DIR: path.join(tmp, 'data') }),
      { dataset: path.join(golden, 'queries.dev.json'), out: path.join(tmp, 'out'), setup: 'golden' },
      { log: (l) => lines.push(l), env: { COLLECTIONS_SHARED_DIR: shared } },
    );
    console.log(`\n${renderSummaryTable(report)}\n`);
    for (const st of report.config.search_types) {
      const rows = Object.entries(report.by_query_type[st]!).map(
        ([qt, s]) =>
          `  ${st.padEnd(7)} ${qt.padEnd(22)} n=${s.queries} mrr=${s.mrr?.toFixed(3) ?? '–'} ndcg@10=${s['ndcg@10']?.toFixed(3) ?? '–'} ` +
          `R@10=${s['recall@10']?.toFixed(3) ?? '–'} TN=${s.true_negatives}/${s.edge_queries}`,
      );
      console.log(rows.join('\n'));
    }
    console.log(`setup: ${JSON.stringify(report.setup)}\nreport: ${files.json}`);

    expect(report.setup).toMatchObject({ format: 'golden', imported: 55, failed: 0 });
    expect(report.dataset.queries).toBe(25);
    for (const st of ['bm25', 'vector', 'hybrid'] as const) {
      const s = report.summary[st]!;
      expect(s).toMatchObject({ queries: 25, evaluated: 21, edge_queries: 4, errors: 0 });
      expect(s.single_item_at_rank1.total).toBe(8);
      expect(s.mrr).toBeGreaterThan(0);
      expect(s.latency_ms.p50).not.toBeNull();
    }
  });
});
