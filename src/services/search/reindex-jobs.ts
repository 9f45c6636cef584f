import { randomUUID } from 'node:crypto';
import type { StepDeps } from '../pipeline/steps.js';
import { log } from '../../shared/logger.js';
import { errorMessage } from '../../domain/errors.js';
import { reindexSearchRows, type ReindexOptions } from './reindex.js';

export interface ReindexJob {
  id: string;
  state: 'running' | 'done' | 'failed';
  embedding_model: string;
  all: boolean;
  user: string | null;
  total: number;
  done: number;
  failed: number;
  errors: { item_id: string; error: string }[];
  error: string | null;
  started_at: string;
  finished_at: string | null;
}

/**
 * Background reindex runs for `POST /admin/reindex`, one at a time per process, with progress
 * an operator can poll. The work itself is idempotent, so a restart mid-run loses nothing:
 * running it again finishes what is stale.
 */
export class ReindexJobs {
  private current: ReindexJob | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly deps: StepDeps) {}

  latest(): ReindexJob | null {
    return this.current && { ...this.current, errors: this.current.errors.slice(0, 50) };
  }

  /** Starts a run, or returns the one already running. */
  start(opts: ReindexOptions): { job: ReindexJob; started: boolean } {
    if (this.current?.state === 'running') return { job: this.latest()!, started: false };
    const job: ReindexJob = {
      id: randomUUID(),
      state: 'running',
      embedding_model: this.deps.embedder.id,
      all: !!opts.all,
      user: opts.user ?? null,
      total: 0,
      done: 0,
      failed: 0,
      errors: [],
      error: null,
      started_at: new Date().toISOString(),
      finished_at: null,
    };
    this.current = job;
    this.running = reindexSearchRows(this.deps, opts, (p) => {
      job.total = p.total;
      job.done = p.done;
      job.failed = p.failed.length;
      job.errors = p.failed;
    })
      .then(() => {
        job.state = 'done';
      })
      .catch((err: unknown) => {
        job.state = 'failed';
        job.error = errorMessage(err);
        log.error('reindex failed', { error: job.error });
      })
      .finally(() => {
        job.finished_at = new Date().toISOString();
      });
    return { job: this.latest()!, started: true };
  }

  /** Resolves when the current run (if any) has finished (tests, shutdown). */
  async idle(): Promise<void> {
    await this.running;
  }
}
