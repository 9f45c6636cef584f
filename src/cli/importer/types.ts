import { z } from 'zod';

/** The collections-local formats `collections import` reads. */
export const IMPORT_FORMATS = ['sqlite', 'export', 'golden', 'chroma'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export const ImportOptionsSchema = z.object({
  format: z.enum(IMPORT_FORMATS),
  /** The SQLite file, database.json, golden_analyses.json, or the Chroma persistent directory. */
  source: z.string().min(1),
  /**
   * Folder of the original images. Default: an `images/` folder beside the source file (beside
   * the Chroma directory), when there is one. Chroma needs none: its items are imported
   * without images then.
   */
  images: z.string().min(1).optional(),
  /** Owner of the imported items (default: the local user, LOCAL_USER_ID). */
  user: z.string().min(1).optional(),
});
export type ImportOptions = z.infer<typeof ImportOptionsSchema>;

export interface ImportProgress {
  done: number;
  total: number;
  /** The item just handled (its id in the source) and what happened to it. */
  item_id: string;
  /** `imported` also covers a half-imported item that this run completed. */
  outcome: 'imported' | 'skipped' | 'failed';
}

/**
 * The validation report `collections import` ends with. Item ids in every list are the
 * SOURCE's ids; `remapped_ids` names the few that have another id in this collection (the
 * source id already belonged to another user's item: see src/cli/importer/ids.ts).
 */
export interface ImportReport {
  format: ImportFormat;
  user_id: string;
  /** Absolute paths actually read. */
  source: string;
  images_dir: string | null;
  /** The embedder that built the search rows (`provider/model`). */
  embedding_model: string;

  /** What the source holds. */
  items_in: number;
  analyses_in: number;

  /** New in this collection after this run. */
  imported: number;
  /** Were there, half imported (interrupted run, not `ready`, image or analyses missing), now complete. */
  resumed: number;
  /** Were there and complete: nothing to do. A second run reports every item here. */
  skipped_existing: number;
  /** The user already had these exact bytes (sha256) under another item: not imported again. */
  skipped_duplicate: { item_id: string; existing_item_id: string }[];
  /** Items, or single analyses (`analysis_id` set), that could not be imported, and why. */
  failed: { item_id: string; analysis_id?: string; reason: string }[];
  /** Things imported as well as they could be, with a remark (an unreadable image, a renumbered version). */
  warnings: { item_id: string; message: string }[];
  /** Source id → id in this collection, only where they differ. */
  remapped_ids: Record<string, string>;

  /** The collection after the run, for the source's items (read back from the database). */
  items_out: number;
  analyses_out: number;
  /** In the collection without any analysis: left for the pipeline (`collections serve` analyses them). */
  items_without_analysis: string[];
  /** In the collection without their image (not found under `images_dir`): no thumbnail, image 404. */
  images_missing: string[];
  /** Every imported item searched for by its own headline (bm25, top 10). */
  findable_by_headline: {
    checked: number;
    found: number;
    not_found: string[];
    /** Items whose analysis has an empty headline: nothing to search for. */
    no_headline: string[];
    /** Set when the search itself failed (then nothing was checked). */
    error?: string;
  };
  /** Every source item accounted for, nothing failed, every headline found. */
  ok: boolean;
  duration_ms: number;
}
