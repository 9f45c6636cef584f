/** A box in image pixels: left, top, right, bottom. */
export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** One line of text as OCR found it, in the coordinates of the original image. */
export interface OcrLine {
  text: string;
  /** 0–100: the engine's mean confidence in the line's characters or words. */
  confidence: number;
  bbox: Rect;
}

export interface OcrPage {
  width: number;
  height: number;
  lines: OcrLine[];
}
