import { access, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../../shared/config.js';
import { createServices, type Services } from '../../app/services.js';
import { ItemsRepository } from '../../repositories/items.js';
import type { Searcher } from '../../contracts/search.js';
import type { ImportOptions, ImportReport } from '../importer/types.js';
import {
  createHttpSearcher,
  loadDataset,
  noticeLines,
  parseKs,
  parseSearchTypes,
  renderSummaryTable,
  runEvaluation,
  writeReport,
  type EvalDataset,
  type EvalReport,
} from '../evaluation/index.js';

/** The repository root (this file is src/cli/commands/eval.ts). */
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** `../shared` next to the repository, or COLLECTIONS_SHARED_DIR. */
export function sharedDir(env: Record<string, string | undefined> = process.env): string {
  return path.resolve(env.COLLECTIONS_SHARED_DIR ?? path.join(REPO_ROOT, '..', 'shared'));
}

export function defaultGoldenPaths(env: Record<string, string | undefined> = process.env) {
  const golden = path.join(sharedDir(env), 'data', 'golden');
  return { analyses: path.join(golden, 'analyses.json'), images: path.join(golden, 'images') };
}

/** The options of `collections eval` as commander hands them over. */
export interface EvalCommandOptions {
  dataset: string;
  out: string;
  user?: string;
  searchTypes?: string;
  k?: string;
  url?: string;
  token?: string;
  setup?: string;
  golden?: string;
  images?: string;
  /** `--no-warmup` sets it to false. */
  warmup?: boolean;
}

export type RunImport = (
  services: Services,
  options: ImportOptions,
  onProgress?: (p: { done: number; total: number }) => void,
) => Promise<ImportReport>;

/** Seams for tests; the command uses the real modules. */
export interface EvalCommandDeps {
  /** Replaces the in-process searcher (services are still opened). */
  searcher?: Searcher;
  createSearcher?: (services: Services) => Searcher | Promise<Searcher>;
  runImport?: RunImport;
  /** Lines for the terminal (stderr by default). */
  log?: (line: string) => void;
  env?: Record<string, string | undefined>;
}

export interface EvalCommandResult {
  report: EvalReport;
  files: { json: string; md: string };
}

/** Why `--setup golden` cannot run with this configuration, or null when it can. */
export async function freshDataDirProblem(config: Config): Promise<string | null> {
  if (config.database.kind !== 'pglite' || config.objectStore.kind !== 'filesystem') {
    return (
      '--setup golden loads the golden set into a fresh local data directory (embedded database and files under ' +
      'COLLECTIONS_DATA_DIR); it does not run with DATABASE_URL or an S3 object store. Import into that collection with ' +
      '`collections import --format golden --source … --images …`, then run `collections eval` without --setup.'
    );
  }
  let entries: string[];
  try {
    entries = await readdir(config.dataDir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ENOTDIR') return `COLLECTIONS_DATA_DIR (${config.dataDir}) is a file, not a folder.`;
    throw err;
  }
  if (entries.length === 0) return null;
  const shown = entries.slice(0, 3).join(', ') + (entries.length > 3 ? ', …' : '');
  return (
    `--setup golden needs a fresh data directory, but COLLECTIONS_DATA_DIR (${config.dataDir}) is not empty (${shown}). ` +
    'Point COLLECTIONS_DATA_DIR at a new or empty folder (e.g. COLLECTIONS_DATA_DIR=./data-golden), ' +
    'or leave out --setup to evaluate the collection that is already there.'
  );
}

async function mustExist(file: string, what: string) {
  try {
    await access(file);
  } catch {
    throw new Error(`${what} not found: ${file} (set COLLECTIONS_SHARED_DIR, or pass it explicitly)`);
  }
}

/** The dataset with expected item ids renamed by `map` (source id → id in this collection). */
export function remapExpectedIds(dataset: EvalDataset, map: Record<string, string>): EvalDataset {
  if (Object.keys(map).length === 0) return dataset;
  return {
    ...dataset,
    queries: dataset.queries.map((q) => ({
      ...q,
      expected_items: q.expected_items.map((e) => ({ ...e, item_id: map[e.item_id] ?? e.item_id })),
    })),
  };
}

/**
 * `collections eval`: optionally loads the golden set into a fresh data directory, runs every
 * query of the dataset with every search type (in process, or over HTTP with `url`), writes
 * `out/report.json` and `out/report.md`, and logs a summary table.
 */
export async function runEvalCommand(config: Config, opts: EvalCommandOptions, deps: EvalCommandDeps = {}): Promise<EvalCommandResult> {
  const log = deps.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const searchTypes = parseSearchTypes(opts.searchTypes ?? 'bm25,vector,hybrid');
  const ks = parseKs(opts.k ?? '1,3,5,10');
  const datasetPath = path.resolve(opts.dataset);
  let dataset = await loadDataset(datasetPath);
  const warmup = opts.warmup !== false;
  const progress = (p: { done: number; total: number; search_type: string }) => {
    if (p.done % 25 === 0 || p.done === p.total) log(`eval: ${p.done}/${p.total} searches (${p.search_type})`);
  };

  let setupReport: Record<string, unknown> | undefined;
  if (opts.setup !== undefined && opts.setup !== 'golden')
    throw new Error(`--setup knows only "golden", got ${JSON.stringify(opts.setup)}`);
  if (opts.setup && opts.url) {
    throw new Error(
      '--setup golden loads a local data directory; it cannot be combined with --url (set up the server’s collection there).',
    );
  }

  let report: EvalReport;
  if (opts.url) {
    const searcher = deps.searcher ?? createHttpSearcher(opts.url, { token: opts.token });
    log(`eval: ${dataset.queries.length} queries × ${searchTypes.join(', ')} over HTTP at ${opts.url}`);
    report = await runEvaluation({
      dataset,
      searcher,
      userId: opts.user ?? config.auth.localUserId,
      searchTypes,
      ks,
      warmup,
      datasetPath,
      mode: 'http',
      url: opts.url,
      onProgress: progress,
    });
  } else {
    const userId = opts.user ?? config.auth.localUserId;
    let golden: { analyses: string; images: string } | undefined;
    if (opts.setup) {
      const problem = await freshDataDirProblem(config);
      if (problem) throw new Error(problem);
      const defaults = defaultGoldenPaths(deps.env ?? process.env);
      golden = { analyses: path.resolve(opts.golden ?? defaults.analyses), images: path.resolve(opts.images ?? defaults.images) };
      await mustExist(golden.analyses, 'golden analyses');
      await mustExist(golden.images, 'golden images folder');
    }
    const services = await createServices(config, {}, { runPipeline: false });
    try {
      if (golden) {
        const runImport = deps.runImport ?? (await import('../importer/index.js')).runImport;
        log(`eval: loading the golden set into ${config.dataDir} (user ${userId})`);
        const imported = await runImport(
          services,
          { format: 'golden', source: golden.analyses, images: golden.images, user: userId },
          (p) => {
            if (p.done % 10 === 0 || p.done === p.total) log(`eval: imported ${p.done}/${p.total}`);
          },
        );
        setupReport = {
          format: 'golden',
          source: golden.analyses,
          images: golden.images,
          data_dir: config.dataDir,
          embedding_model: imported.embedding_model,
          ok: imported.ok,
          imported: imported.imported,
          failed: imported.failed.length,
          items_out: imported.items_out,
          images_missing: imported.images_missing.length,
          findable_by_headline: { checked: imported.findable_by_headline.checked, found: imported.findable_by_headline.found },
          remapped_ids: Object.keys(imported.remapped_ids ?? {}).length,
          skipped_duplicate: imported.skipped_duplicate?.length ?? 0,
        };
        log(
          `eval: imported ${imported.imported} items (${imported.failed.length} failed, ${imported.images_missing.length} images missing, ` +
            `${imported.findable_by_headline.found}/${imported.findable_by_headline.checked} findable by headline)`,
        );
        // Expected ids are the source's: follow the few the import renumbered, and duplicates
        // (same bytes as an item already there) to the item that holds them.
        const renamed: Record<string, string> = { ...(imported.remapped_ids ?? {}) };
        for (const d of imported.skipped_duplicate ?? []) renamed[d.item_id] ??= d.existing_item_id;
        dataset = remapExpectedIds(dataset, renamed);
      }
      const count = await new ItemsRepository(services.db).count(userId);
      if (count === 0) {
        log(
          `eval: warning: user ${userId} has no items in ${config.database.kind === 'pglite' ? config.dataDir : 'DATABASE_URL'}; ` +
            'load the golden set with --setup golden (fresh COLLECTIONS_DATA_DIR) or `collections import --format golden …`',
        );
      }
      // The same search POST /search runs: with the chat model (agentic, answers) when configured.
      const searcher =
        deps.searcher ??
        (deps.createSearcher
          ? await deps.createSearcher(services)
          : (await import('../../services/search/agent/index.js')).withChatModel(
              (await import('../../services/search/index.js')).createSearcher(services),
              await services.chatModel(),
            ));
      log(`eval: ${dataset.queries.length} queries × ${searchTypes.join(', ')} in process over ${count} items of user ${userId}`);
      report = await runEvaluation({
        dataset,
        searcher,
        userId,
        searchTypes,
        ks,
        warmup,
        datasetPath,
        mode: 'in-process',
        onProgress: progress,
      });
    } finally {
      await services.close();
    }
  }
  if (setupReport) report.setup = setupReport;

  const files = await writeReport(opts.out, report);
  log('');
  log(renderSummaryTable(report));
  for (const line of noticeLines(report)) log(`eval: ${line}`);
  const errors = report.queries.filter((q) => q.status === 'error');
  if (errors.length > 0) log(`eval: ${errors.length} search calls failed, e.g. ${errors[0]!.error}`);
  log('');
  log(`report: ${files.json}`);
  log(`        ${files.md}`);
  return { report, files };
}
