/**
 * Citation markers in assistant text: `[Item 3]` (a search answer: the result's rank), and
 * `[Item 0b3f…]` (chat: the item id), also several in one marker (`[Item 1, 3]`,
 * `[Items 1 and 2]`). No imports: the node unit tests load this file as is.
 */
export type Segment = { kind: 'text'; text: string } | { kind: 'cite'; refs: string[]; text: string };

const MARKER = /\[\s*items?\s*#?\s*([^[\]]{1,400}?)\s*\]/gi;
const SEPARATOR = /\s*(?:,|;|&|\band\b|\bor\b)\s*(?:items?\s*)?#?\s*/i;
/** A rank, or an item id (items have UUIDs). */
const REF = /^(?:\d{1,4}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** Splits text into plain runs and citation markers; a bracket that is not a citation stays text. */
export function splitCitations(text: string): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  for (const m of text.matchAll(MARKER)) {
    const refs = m[1]!
      .split(SEPARATOR)
      .map((r) => r.trim())
      .filter(Boolean);
    if (refs.length === 0 || !refs.every((r) => REF.test(r))) continue;
    if (m.index > last) out.push({ kind: 'text', text: text.slice(last, m.index) });
    out.push({ kind: 'cite', refs, text: m[0] });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
  return out;
}

/**
 * The item id a reference names: a number is a rank among `ranked` (1-based), anything else an
 * id (kept only when `known` is absent or holds it). Unknown references give null.
 */
export function resolveRef(ref: string, ranked: readonly { item_id: string; rank: number }[], known?: ReadonlySet<string>): string | null {
  if (/^\d+$/.test(ref)) return ranked.find((r) => r.rank === Number(ref))?.item_id ?? null;
  if (known && !known.has(ref)) return null;
  return ref;
}

/** Cited item ids in order of first citation. */
export function citedIds(text: string, ranked: readonly { item_id: string; rank: number }[], known?: ReadonlySet<string>): string[] {
  const ids: string[] = [];
  for (const s of splitCitations(text)) {
    if (s.kind !== 'cite') continue;
    for (const ref of s.refs) {
      const id = resolveRef(ref, ranked, known);
      if (id && !ids.includes(id)) ids.push(id);
    }
  }
  return ids;
}
