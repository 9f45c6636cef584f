import { LOCAL_VISION_MODEL } from './models.js';
import { AnalysisSchema } from '../../domain/analysis.js';
import type { VisionInput, VisionProvider, VisionResult } from '../../ports/vision.js';
import { analysisFromText } from './ocr-analysis.js';
import { TesseractOcr } from './tesseract-ocr.js';


/**
 * The offline provider: OCR with tesseract.js and its bundled English model, then rules over the
 * text and the image facts. Nothing leaves the machine; one worker thread is started on first
 * use and kept until close().
 */
export class LocalVisionProvider implements VisionProvider {
  readonly provider = 'local';
  readonly model = LOCAL_VISION_MODEL;
  private readonly ocr: TesseractOcr;

  constructor(options: { langPath?: string } = {}) {
    this.ocr = new TesseractOcr(options.langPath);
  }

  async analyze(input: VisionInput): Promise<VisionResult> {
    const page = await this.ocr.recognize(input.image, input.mimeType);
    const analysis = AnalysisSchema.parse(analysisFromText(page, input.facts));
    return { analysis, provider: this.provider, model: this.model, traceId: null };
  }

  close(): Promise<void> {
    return this.ocr.close();
  }
}
