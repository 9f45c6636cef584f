import type { Analysis } from '../domain/analysis.js';

export interface ImageFacts {
  width: number;
  height: number;
  format: string;
  captured_at: string | null;
  gps: { latitude: number; longitude: number } | null;
  camera: string | null;
}

export interface VisionInput {
  /** Auto-oriented image bytes (JPEG/PNG/WebP), at most a few MB: what a model can take. */
  image: Buffer;
  mimeType: 'image/jpeg' | 'image/png' | 'image/webp';
  facts: ImageFacts;
}

export interface VisionResult {
  analysis: Analysis;
  provider: string;
  model: string;
  /** LangSmith run id when tracing is on, else null. */
  traceId: string | null;
}

/** Reads an image and returns a schema-valid analysis, or throws with the reason. */
export interface VisionProvider {
  readonly provider: string;
  readonly model: string;
  analyze(input: VisionInput): Promise<VisionResult>;
  close?(): Promise<void>;
}
