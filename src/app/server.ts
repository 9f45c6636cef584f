import { serve, type ServerType } from '@hono/node-server';
import type { Config } from '../shared/config.js';
import { createServices, type ServiceOverrides, type Services } from './services.js';
import { createApp } from '../api/app.js';
import { AdmissionQueue } from '../api/admission.js';
import { log } from '../shared/logger.js';
import { startEmbeddingRefresh, type ReindexProgress } from '../services/search/reindex.js';

export interface RunningServer {
  url: string;
  services: Services;
  /** The start-up re-embedding of rows an older embedder revision made (usually none). */
  embeddingRefresh: Promise<ReindexProgress>;
  close(): Promise<void>;
}

/** Starts the local home: services, pipeline (resuming unfinished items) and the HTTP server. */
export async function startServer(config: Config, overrides: ServiceOverrides = {}): Promise<RunningServer> {
  const services = await createServices(config, overrides);
  // Rows the offline embedder made before its lexicon or settings changed get new vectors.
  const refresh = startEmbeddingRefresh(services.steps);
  const app = createApp(services, { admission: new AdmissionQueue(config.server.admission) });
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.server.port, hostname: config.server.host }, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  const url = `http://${config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host}:${port}`;
  return {
    url,
    services,
    embeddingRefresh: refresh.finished,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await refresh.stop();
      await services.close();
    },
  };
}

/** `npm start`: run until SIGINT/SIGTERM, then finish running steps and close the database. */
export async function runServer(config: Config) {
  const started = Date.now();
  const running = await startServer(config);
  log.info('Collections is running', {
    url: running.url,
    docs: `${running.url}/docs`,
    database: running.services.db.kind,
    data_dir: config.dataDir,
    vision: config.vision.provider,
    embedding: running.services.embedder.id,
    auth: config.auth.mode,
    startup_ms: Date.now() - started,
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal });
    await running.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
