import type { AnalysisRecord, Item } from '../domain/item.js';
import type { z } from '@hono/zod-openapi';
import type { AnalysisSchema, ItemSchema } from './schemas.js';

const iso = (d: Date | string | null) => (d == null ? null : new Date(d).toISOString());

/** Row → wire. Keys and user ids stay server-side; clients get URLs. */
export function itemToWire(item: Item & { category?: string | null; headline?: string | null }): z.infer<typeof ItemSchema> {
  return {
    id: item.id,
    filename: item.filename,
    original_filename: item.original_filename,
    mime_type: item.mime_type,
    file_size: Number(item.file_size),
    width: item.width,
    height: item.height,
    sha256: item.sha256,
    status: item.status,
    error: item.error,
    failed_step: item.failed_step,
    category: item.category ?? null,
    headline: item.headline ?? null,
    captured_at: iso(item.captured_at),
    gps: item.gps_latitude != null && item.gps_longitude != null ? { latitude: item.gps_latitude, longitude: item.gps_longitude } : null,
    image_url: `/items/${item.id}/image`,
    thumbnail_url: item.thumbnail_key ? `/items/${item.id}/thumbnail` : null,
    created_at: iso(item.created_at)!,
    updated_at: iso(item.updated_at)!,
  };
}

export function analysisToWire(a: AnalysisRecord): z.infer<typeof AnalysisSchema> {
  return {
    id: a.id,
    item_id: a.item_id,
    version: a.version,
    category: a.category,
    subcategories: a.subcategories,
    headline: a.headline,
    summary: a.summary,
    raw: (typeof a.raw === 'string' ? JSON.parse(a.raw) : a.raw) as z.infer<typeof AnalysisSchema>['raw'],
    provider: a.provider,
    model: a.model,
    trace_id: a.trace_id,
    created_at: iso(a.created_at)!,
  };
}
