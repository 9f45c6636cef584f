#!/usr/bin/env node
import { Command } from 'commander';
import { loadConfig } from '../config.js';
import { runServer } from '../server.js';
import { reindex } from './reindex.js';

const program = new Command()
  .name('collections')
  .description('Collections: keep screenshots and photos, and find them again.');

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

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`collections: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
