import type { Queryable } from '../../ports/database.js';
import { IndexStatusRepository } from '../../repositories/index-status.js';
import { ItemsRepository } from '../../repositories/items.js';

/**
 * Liveness for GET /health: the caller's item count when the caller is known, otherwise null.
 * Either way the database has answered.
 */
export async function itemCountIfHealthy(db: Queryable, userId: string | null): Promise<number | null> {
  if (userId) return new ItemsRepository(db).count(userId);
  await new IndexStatusRepository(db).ping();
  return null;
}
