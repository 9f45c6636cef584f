import { z } from 'zod';

export const ITEM_STATUSES = ['uploaded', 'processing', 'analyzed', 'ready', 'failed'] as const;
export const ItemStatusSchema = z.enum(ITEM_STATUSES);
export type ItemStatus = z.infer<typeof ItemStatusSchema>;

/** The three pipeline steps, in order. A failed item remembers which one failed. */
export const PIPELINE_STEPS = ['process_image', 'analyze', 'embed'] as const;
export const PipelineStepSchema = z.enum(PIPELINE_STEPS);
export type PipelineStep = z.infer<typeof PipelineStepSchema>;

export const SUPPORTED_MIME_TYPES = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'image/heic': 'heic',
} as const;
export type SupportedMimeType = keyof typeof SUPPORTED_MIME_TYPES;

/** Object keys (DESIGN.md §2). Every key starts with the owner's id. */
export const objectKeys = {
  original: (userId: string, itemId: string, ext: string) => `${userId}/originals/${itemId}.${ext}`,
  thumbnail: (userId: string, itemId: string) => `${userId}/thumbnails/${itemId}.webp`,
};

/**
 * Object tags by kind of object. Keys begin with the user id, so a bucket lifecycle rule cannot
 * tell thumbnails from originals by prefix: it matches this tag instead (infra/lib/storage.ts).
 */
export const OBJECT_TAGS = {
  thumbnail: { kind: 'thumbnail' },
  /** Chat checkpoints too large for DynamoDB (adapters/chat-store/dynamodb/payload.ts). */
  chatPayload: { kind: 'chat-payload' },
} as const satisfies Record<string, Record<string, string>>;

/** Which item of whose: what the pipeline's events and steps carry. */
export interface ItemRef {
  item_id: string;
  user_id: string;
}

/** An item of the caller's that looks like another (near-duplicate warnings). */
export interface NearDuplicate {
  id: string;
  /** Differing bits of the 64-bit perceptual hashes (0: the same picture). */
  distance: number;
  headline: string | null;
  has_thumbnail: boolean;
}

export interface Item {
  id: string;
  user_id: string;
  filename: string;
  original_filename: string;
  mime_type: string;
  file_size: number;
  width: number | null;
  height: number | null;
  sha256: string;
  original_key: string;
  thumbnail_key: string | null;
  status: ItemStatus;
  error: string | null;
  failed_step: PipelineStep | null;
  attempts: number;
  captured_at: Date | null;
  gps_latitude: number | null;
  gps_longitude: number | null;
  created_at: Date;
  updated_at: Date;
}

export interface AnalysisRecord {
  id: string;
  item_id: string;
  user_id: string;
  version: number;
  category: string;
  subcategories: string[];
  headline: string;
  summary: string;
  raw: unknown;
  provider: string;
  model: string;
  trace_id: string | null;
  created_at: Date;
}

/** A client's file name as we keep it: the last path segment, no control characters, ≤ 255 chars. */
export function cleanFilename(name: string): string {
  // eslint-disable-next-line no-control-regex
  return (name.split(/[\\/]/).pop() ?? '')
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .slice(0, 255)
    .trim();
}
