/**
 * Default model names, apart from the provider modules so that choosing a provider (and
 * validating the configuration) does not load any SDK.
 */
export const DEFAULT_ANTHROPIC_VISION_MODEL = 'claude-sonnet-4-5';
export const DEFAULT_OPENAI_VISION_MODEL = 'gpt-4o';
/**
 * The offline provider's models: one per OCR engine, with the same rules on top. PaddleOCR's
 * PP-OCRv4 is the default (it reads screenshots far better: README "Offline analysis");
 * tesseract.js stays for platforms without an ONNX Runtime build (`VISION_MODEL=tesseract-eng-v1`).
 */
export const LOCAL_VISION_MODELS = ['ppocr-v4-rules-v1', 'tesseract-eng-v1'] as const;
export type LocalVisionModel = (typeof LOCAL_VISION_MODELS)[number];
export const LOCAL_VISION_MODEL: LocalVisionModel = 'ppocr-v4-rules-v1';
export const TESSERACT_VISION_MODEL: LocalVisionModel = 'tesseract-eng-v1';
export const isLocalVisionModel = (m: string): m is LocalVisionModel => (LOCAL_VISION_MODELS as readonly string[]).includes(m);
/** A cross-region inference profile: on-demand Bedrock calls to Claude 4.x need one. */
export const DEFAULT_BEDROCK_VISION_MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
