import { LOCAL_VISION_MODEL, type LocalVisionModel } from './models.js';
import { AnalysisSchema } from '../../domain/analysis.js';
import type { VisionInput, VisionProvider, VisionResult } from '../../ports/vision.js';
import { analysisFromText } from './ocr-analysis.js';
import type { OcrPage } from './ocr-page.js';

/** An OCR engine the offline provider can read with. */
export interface OcrEngine {
  recognize(image: Buffer, mimeType: string): Promise<OcrPage>;
  close(): Promise<void>;
}

/**
 * The offline provider: OCR, then rules over the text and the image facts. Nothing leaves the
 * machine; the engine loads its models on first use and keeps them until close().
 */
export class LocalVisionProvider implements VisionProvider {
  readonly provider = 'local';

  constructor(
    private readonly ocr: OcrEngine,
    /** The model name recorded with each analysis: which engine read it. */
    readonly model: LocalVisionModel = LOCAL_VISION_MODEL,
  ) {}

  async analyze(input: VisionInput): Promise<VisionResult> {
    const page = await this.ocr.recognize(input.image, input.mimeType);
    const analysis = AnalysisSchema.parse(analysisFromText(page, input.facts));
    return { analysis, provider: this.provider, model: this.model, traceId: null };
  }

  close(): Promise<void> {
    return this.ocr.close();
  }
}
