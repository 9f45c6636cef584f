import { access, readFile, stat } from 'node:fs/promises';
import { errorMessage } from '../../domain/errors.js';

/**
 * What every reader turns its format into: items with their analyses, still unvalidated
 * (validation and its reasons belong to the import, not to the readers).
 */
export interface SourceAnalysis {
  /** The analysis id in the source, when the format has one. */
  source_id: string | null;
  version: number;
  /** The analysis JSON (collections-local's `raw_response`), parsed or still a string. */
  raw: unknown;
  provider: string;
  model: string;
  trace_id: string | null;
  created_at: Date | null;
}

export interface SourceItem {
  /** The item id in the source (a uuid in every collections-local format). */
  source_id: string;
  original_filename: string | null;
  mime_type: string | null;
  file_size: number | null;
  created_at: Date | null;
  /** File names to look for in the images folder, best first (basenames only). */
  image_names: string[];
  analyses: SourceAnalysis[];
  /** Remarks from reading (duplicate versions renumbered, …). */
  warnings: string[];
}

export interface SourceData {
  items: SourceItem[];
  /** Absolute path of what was read. */
  source: string;
  /** Where images are looked for when the caller names no folder (may not exist). */
  defaultImagesDir: string | null;
  /** Analyses whose item is not in the source (reported as failed). */
  orphans?: { item_id: string; analysis_id: string | null }[];
}

/** A problem with the input the user named: bad path, wrong format, malformed file. */
export class ImportInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportInputError';
  }
}

export async function assertFile(file: string, what: string): Promise<void> {
  let s: Awaited<ReturnType<typeof stat>>;
  try {
    s = await stat(file);
  } catch {
    throw new ImportInputError(`${what} ${file} does not exist`);
  }
  if (!s.isFile()) throw new ImportInputError(`${what} ${file} is not a file`);
  await access(file).catch(() => {
    throw new ImportInputError(`${what} ${file} cannot be read`);
  });
}

export async function readJsonFile(file: string, what: string): Promise<unknown> {
  await assertFile(file, what);
  const text = await readFile(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ImportInputError(`${what} ${file} is not valid JSON: ${errorMessage(err)}`);
  }
}

/**
 * collections-local wrote naive ISO timestamps (`2025-12-27T00:04:04.319898`, Python's
 * `datetime.utcnow().isoformat()`): they are UTC. Chroma writes `YYYY-MM-DD HH:MM:SS`, also UTC.
 * Anything unreadable is null (the database default, now, applies).
 */
export function parseTimestamp(value: unknown): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'number' && Number.isFinite(value)) {
    // Seconds or milliseconds since the epoch.
    return new Date(value < 1e11 ? value * 1000 : value);
  }
  if (typeof value !== 'string' || value.trim() === '') return null;
  let s = value.trim();
  if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(s)) s = s.replace(' ', 'T');
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(s);
  if (/^\d{4}-\d{2}-\d{2}T/.test(s) && !hasZone) s += 'Z';
  // JavaScript keeps milliseconds only: microseconds are cut, not rounded (Postgres keeps µs,
  // but the source's own precision does not matter for ordering at this scale).
  s = s.replace(/(\.\d{3})\d+/, '$1');
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? null : d;
}

export const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
export const num = (v: unknown): number | null =>
  typeof v === 'number' && Number.isFinite(v)
    ? v
    : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))
      ? Number(v)
      : null;

export function basename(p: string | null | undefined): string | null {
  if (!p) return null;
  const b = p.split(/[\\/]/).pop();
  return b && b !== '.' && b !== '..' ? b : null;
}

/**
 * Sorts an item's analyses by version (then time). Two analyses with the same version would
 * collide on (item, version): they are renumbered 1..n in that order, with a warning.
 */
export function orderVersions(item: SourceItem): void {
  item.analyses.sort((a, b) => a.version - b.version || (a.created_at?.getTime() ?? 0) - (b.created_at?.getTime() ?? 0));
  const versions = item.analyses.map((a) => a.version);
  const clash = new Set(versions).size !== versions.length || versions.some((v) => !Number.isInteger(v) || v < 1);
  if (clash) {
    item.analyses.forEach((a, i) => (a.version = i + 1));
    item.warnings.push(`analysis versions ${versions.join(', ')} were not unique: renumbered 1..${versions.length} by version and date`);
  }
}

/** Items in first-seen order; a repeated source id keeps the first occurrence. */
export function dedupeItems(items: SourceItem[]): SourceItem[] {
  const seen = new Map<string, SourceItem>();
  for (const item of items) {
    const first = seen.get(item.source_id);
    if (first) first.warnings.push('the source lists this item more than once: the first entry was imported');
    else seen.set(item.source_id, item);
  }
  return [...seen.values()];
}
