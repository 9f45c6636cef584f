import { createHash } from 'node:crypto';
import { isUuid } from '../../repositories/items.js';

/** Namespace of every id the importer derives (RFC 9562 name-based, SHA-1: version 5). */
export const IMPORT_NAMESPACE = '5d0c3f7e-8a3b-4c1e-9f55-6b2f0e7c1a42';

export function uuidV5(name: string, namespace = IMPORT_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  const b = hash.subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * Ids in this collection for a source item, in order of preference.
 *
 * Items keep their source id: golden evaluation queries, links and logs name items by it. But
 * `items.id` is the primary key across users, so when a second user imports the same source
 * (two people migrating one shared export, an eval user and a local user), the source id is
 * already taken. That user's item then gets uuid v5(user, source id): deterministic, so a re-run
 * finds the same row again (idempotent), and different for every user. The report's
 * `remapped_ids` lists those. An item is looked up under both ids before one is chosen, so an
 * import stays idempotent even if the first owner later deletes theirs.
 */
export function candidateItemIds(userId: string, sourceId: string): { preferred: string | null; derived: string } {
  return {
    preferred: isUuid(sourceId) ? sourceId.toLowerCase() : null,
    derived: uuidV5(`item:${userId}:${sourceId}`),
  };
}

/**
 * The id of an analysis: its source id when the item kept its own id (and the source has one);
 * otherwise derived from the item's id in this collection and the analysis (source id or version).
 */
export function analysisId(itemId: string, itemKeptSourceId: boolean, a: { source_id: string | null; version: number }): string {
  if (itemKeptSourceId && a.source_id && isUuid(a.source_id)) return a.source_id.toLowerCase();
  return derivedAnalysisId(itemId, a);
}

export function derivedAnalysisId(itemId: string, a: { source_id: string | null; version: number }): string {
  return uuidV5(`analysis:${itemId}:${a.source_id ?? `v${a.version}`}`);
}
