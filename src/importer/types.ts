import { z } from 'zod';

/** The collections-local formats `collections import` reads. */
export const IMPORT_FORMATS = ['sqlite', 'export', 'golden', 'chroma'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export const ImportOptionsSchema = z.object({
  format: z.enum(IMPORT_FORMATS),
  /** The SQLite file, database.json, golden_analyses.json, or the Chroma persistent directory. */
  source: z.string().min(1),
  /** Folder of the original images (not needed for chroma when it has none). */
  images: z.string().min(1).optional(),
  /** Owner of the imported items (default: the local user). */
  user: z.string().min(1).optional(),
});
export type ImportOptions = z.infer<typeof ImportOptionsSchema>;

export interface ImportProgress {
  done: number;
  total: number;
  /** The item just handled and what happened to it. */
  item_id: string;
  outcome: 'imported' | 'skipped' | 'failed';
}

/** The validation report `collections import` ends with. */
export interface ImportReport {
  format: ImportFormat;
  user_id: string;
  items_in: number;
  analyses_in: number;
  imported: number;
  skipped_existing: number;
  failed: { item_id: string; reason: string }[];
  items_out: number;
  analyses_out: number;
  items_without_analysis: string[];
  images_missing: string[];
  /** Every imported item searched for by its own headline (bm25 + hybrid). */
  findable_by_headline: { checked: number; found: number; not_found: string[] };
  duration_ms: number;
}
