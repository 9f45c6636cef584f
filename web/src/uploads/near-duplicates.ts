/**
 * Items an upload resembles. POST /items answers `duplicate: true` for the same bytes, and
 * `near_duplicates` (perceptual-hash neighbours: the same screenshot re-encoded, resized,
 * cropped a little) for look-alikes; GET /items/{id}/near-duplicates the same once a direct
 * upload has been processed. Read defensively: an older server sends no such field, and a
 * malformed entry is dropped rather than shown.
 */
export interface RelatedItem {
  id: string;
  headline: string | null;
  thumbnail_url: string | null;
  /** Hamming distance of the perceptual hashes (0: identical pictures). */
  distance: number | null;
}

const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v : null);

export function readNearDuplicates(body: unknown, self?: string): RelatedItem[] {
  const list = (body as { near_duplicates?: unknown } | null)?.near_duplicates;
  if (!Array.isArray(list)) return [];
  const seen = new Set<string>(self ? [self] : []);
  const out: RelatedItem[] = [];
  for (const entry of list) {
    const e = entry as Record<string, unknown> | null;
    const id = text(e?.id);
    if (!id || seen.has(id)) continue;
    seen.add(id);
    out.push({
      id,
      headline: text(e?.headline),
      thumbnail_url: text(e?.thumbnail_url),
      distance: typeof e?.distance === 'number' && Number.isFinite(e.distance) ? e.distance : null,
    });
  }
  return out.sort((a, b) => (a.distance ?? Number.POSITIVE_INFINITY) - (b.distance ?? Number.POSITIVE_INFINITY));
}
