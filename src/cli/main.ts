#!/usr/bin/env node
import { Command } from 'commander';
import { loadConfig } from '../shared/config.js';
import { runServer } from '../app/server.js';
import { reindex } from './commands/reindex.js';

const program = new Command().name('collections').description('Collections: keep screenshots and photos, and find them again.');

program
  .command('serve')
  .description('Start the API (and pipeline) on PORT with data under COLLECTIONS_DATA_DIR')
  .option('-p, --port <port>', 'port to listen on (overrides PORT)')
  .action(async (opts: { port?: string }) => {
    const config = loadConfig({ ...process.env, ...(opts.port ? { PORT: opts.port } : {}) });
    await runServer(config);
  });

program
  .command('reindex')
  .description('Re-embed search rows made by another embedding model than the configured one')
  .option('--all', 're-embed every item, not only stale ones')
  .option('--user <id>', 'only this user’s items')
  .action(async (opts: { all?: boolean; user?: string }) => {
    const result = await reindex(loadConfig(), opts);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  });

program
  .command('cleanup')
  .description('Purge expired chat sessions (what the hourly cleanup job does on AWS) and report counts')
  .action(async () => {
    const { cleanup } = await import('./commands/cleanup.js');
    process.stdout.write(`${JSON.stringify(await cleanup(loadConfig()))}\n`);
  });

program
  .command('eval')
  .description('Run graded retrieval queries against the search; write DIR/report.json and DIR/report.md')
  .requiredOption('--dataset <file>', 'retrieval dataset (collections-local format, e.g. ../shared/data/golden/queries.dev.json)')
  .requiredOption('--out <dir>', 'folder for report.json and report.md (created if missing)')
  .option('--user <id>', 'whose collection to search in process (default: LOCAL_USER_ID)')
  .option('--search-types <list>', 'comma-separated: bm25, vector, hybrid, agentic', 'bm25,vector,hybrid')
  .option('--k <list>', 'comma-separated cut-offs for P@k and R@k (1..50)', '1,3,5,10')
  .option('--url <url>', 'evaluate a running server: POST <url>/search instead of searching in process')
  .option('--token <jwt>', 'with --url: bearer token for a server in AUTH_MODE=jwt')
  .option('--setup <kind>', '"golden": first load the golden set into a fresh (empty or missing) COLLECTIONS_DATA_DIR')
  .option('--golden <file>', 'with --setup golden: analyses file (default $COLLECTIONS_SHARED_DIR or ../shared, data/golden/analyses.json)')
  .option('--images <dir>', 'with --setup golden: images folder (default …/data/golden/images)')
  .option('--no-warmup', 'skip the untimed warm-up search per search type')
  .addHelpText(
    'after',
    `
Metrics are collections-local's: P@k, R@k, MRR (top 10), NDCG@10 with bit_length discounts,
averaged over non-edge queries; edge-case queries count as true negatives when nothing is returned.
The summary table goes to stderr, the path of report.json to stdout.

Evaluate the golden set in one step (the data directory must be new or empty):
  COLLECTIONS_DATA_DIR=./data-golden collections eval --setup golden \\
    --dataset ../shared/data/golden/queries.dev.json --out eval-out

or in two steps, importing first:
  COLLECTIONS_DATA_DIR=./data-golden collections import --format golden \\
    --source ../shared/data/golden/analyses.json --images ../shared/data/golden/images
  COLLECTIONS_DATA_DIR=./data-golden collections eval --dataset ../shared/data/golden/queries.dev.json --out eval-out

Against a running server:  collections eval --url http://127.0.0.1:8787 --dataset … --out …`,
  )
  .action(async (opts: import('./commands/eval.js').EvalCommandOptions) => {
    const { runEvalCommand } = await import('./commands/eval.js');
    const { files } = await runEvalCommand(loadConfig(), opts);
    process.stdout.write(`${files.json}\n`);
  });

program
  .command('eval-vision')
  .description(
    'Run the vision provider over the golden screenshots; compare with the reviewed analyses (OCR recall, junk, category, headline)',
  )
  .requiredOption('--out <dir>', 'folder for vision-report.json and vision-report.md (created if missing)')
  .option('--golden <file>', 'golden analyses (default $COLLECTIONS_SHARED_DIR or ../shared, data/golden/analyses.json)')
  .option('--images <dir>', 'golden images (default …/data/golden/images)')
  .option('--limit <n>', 'at most this many images')
  .option('--provider <name>', 'vision provider (default VISION_PROVIDER: local without an API key)')
  .option('--model <id>', 'with --provider: its model')
  .addHelpText(
    'after',
    `
OCR word recall: distinct words (two characters or more) of the reviewed transcription that the
analysis's extracted text holds as words (and, second figure, inside run-together words). Junk:
extracted tokens found nowhere in the reviewed analysis that are neither numbers nor words of the
offline embedder's 60k-word vocabulary. Headline: share of its content words found in the reviewed
headline, summary or transcription. Time: the provider's analyze() per image, one at a time.`,
  )
  .action(async (opts: import('./commands/eval-vision.js').EvalVisionCommandOptions) => {
    const { runEvalVisionCommand } = await import('./commands/eval-vision.js');
    const { files } = await runEvalVisionCommand(loadConfig(), opts);
    process.stdout.write(`${files.json}\n`);
  });

program
  .command('import')
  .description('Import a collections-local collection into the collection at COLLECTIONS_DATA_DIR (or DATABASE_URL)')
  .requiredOption('--format <format>', 'sqlite | export | golden | chroma')
  .requiredOption('--source <path>', 'collections.db, database.json, the golden analyses.json, or a Chroma directory')
  .option('--images <dir>', 'folder of the original images (default: images/ beside the source)')
  .option('--user <id>', 'owner of the imported items (default: LOCAL_USER_ID)')
  .action(async (opts: { format: string; source: string; images?: string; user?: string }) => {
    // Loaded on demand: the importer brings a native SQLite module that other commands never need.
    const { importCommand } = await import('./commands/import.js');
    process.exitCode = await importCommand(loadConfig(), opts);
  });

program
  .command('export')
  .description("Write the collection in collections-local's export format (database.json + images/) to a new folder")
  .requiredOption('--out <folder>', 'where to write it (must be empty or new)')
  .option('--user <id>', 'whose collection (default: LOCAL_USER_ID)')
  .action(async (opts: { out: string; user?: string }) => {
    const { exportCommand } = await import('./commands/export.js');
    const report = await exportCommand(loadConfig(), opts);
    process.stdout.write(`${JSON.stringify(report)}\n`);
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`collections: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
