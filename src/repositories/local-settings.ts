import type { LocalSettings, Queryable } from '../ports/database.js';

/**
 * Applies `settings` to the current transaction in one statement (`set_config(name, value,
 * true)` for each, values bound as parameters): each round trip costs ~0.1 ms on PGlite.
 */
export async function setLocal(tx: Queryable, settings: LocalSettings): Promise<void> {
  const entries = Object.entries(settings);
  if (entries.length === 0) return;
  await tx.query(`SELECT ${entries.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`).join(', ')}`, entries.flat());
}
