import type { Config } from '../../shared/config.js';
import type { Database } from '../../ports/database.js';
import { loadLambdaConfig, openLambdaDatabase } from './environment.js';
import { logger } from './observability.js';

/** What every function that touches the database starts from. */
export interface BaseRuntime {
  config: Config;
  db: Database;
}

export interface Closeable {
  close(): Promise<void>;
}

const disposers = new Set<() => Promise<void>>();

/**
 * A value built once per execution environment (at the first invocation: the cold start) and
 * reused by every later invocation: configuration with its secrets, the pg pool, clients,
 * providers. A failed build is not kept, so the next invocation tries again (a secret that
 * could not be read, a database not reachable yet).
 */
export function coldStart<T extends Closeable>(build: () => Promise<T>): () => Promise<T> {
  let current: Promise<T> | null = null;
  disposers.add(async () => {
    const pending = current;
    current = null;
    const value = await pending?.catch(() => null);
    await value?.close();
  });
  return () => {
    current ??= build().catch((err: unknown) => {
      current = null;
      throw err;
    });
    return current;
  };
}

/**
 * Closes every cached runtime (pools, clients, workers), so the next invocation builds anew, as
 * after a cold start. Lambda itself never calls this; tests and local harnesses do.
 */
export async function disposeRuntime(): Promise<void> {
  for (const dispose of disposers) await dispose();
}

/**
 * Configuration (with the secrets the environment points at) and the database pool, then what
 * the function adds on top. Each handler composes only the adapters it uses, so its bundle and
 * its cold start carry nothing else.
 */
export async function buildRuntime<T extends object>(
  name: string,
  extend: (base: BaseRuntime) => Promise<T & Partial<Closeable>> | (T & Partial<Closeable>),
): Promise<BaseRuntime & T & Closeable> {
  const started = Date.now();
  const config = await loadLambdaConfig();
  const db = openLambdaDatabase(config);
  let extra: T & Partial<Closeable>;
  try {
    extra = await extend({ config, db });
  } catch (err) {
    await db.close();
    throw err;
  }
  logger.info('runtime ready', {
    function: name,
    ms: Date.now() - started,
    env: config.env,
    event_bus: config.eventBus.kind,
    object_store: config.objectStore.kind,
  });
  return {
    ...extra,
    config,
    db,
    async close() {
      await extra.close?.();
      await db.close();
    },
  };
}
