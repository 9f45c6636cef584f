import { describe, expect, it } from 'vitest';
import type { OcrLine } from '../../src/adapters/vision/ocr-page.js';
import { joinLineFragments } from '../../src/adapters/vision/paddle-ocr.js';

// Boxes as PaddleOCR's detector reports them: one per stretch of text, in no particular order.
const box = (text: string, x0: number, y0: number, x1: number, y1: number, confidence = 95): OcrLine => ({
  text,
  confidence,
  bbox: { x0, y0, x1, y1 },
});

describe('joinLineFragments', () => {
  it('joins the pieces of one line the detector cut at a wide gap, left to right', () => {
    const joined = joinLineFragments([box('Greece', 725, 257, 990, 307, 99), box('Sunset at Santorini,', 55, 253, 734, 308, 98)]);
    expect(joined).toHaveLength(1);
    expect(joined[0]).toMatchObject({ text: 'Sunset at Santorini, Greece', bbox: { x0: 55, y0: 253, x1: 990, y1: 308 } });
    // Confidence weighted by characters.
    expect(joined[0]!.confidence).toBeCloseTo((98 * 20 + 99 * 6) / 26, 5);
  });

  it('keeps a tab bar’s items, other rows and differently sized type apart', () => {
    const joined = joinLineFragments([
      // Tab bar: 20 px tall items 60+ px apart.
      box('Home', 37, 1205, 80, 1227),
      box('Discover', 146, 1205, 220, 1226),
      box('Inbox', 392, 1206, 440, 1226),
      // The next row down, and a large title beside small print.
      box('Fukuoka in 3 Days', 17, 943, 300, 969),
      box('We actually stayed here', 18, 977, 330, 999),
      box('JIMBOCHO', 40, 100, 400, 180),
      box('2/6', 410, 150, 450, 170),
    ]);
    expect(joined.map((l) => l.text).sort()).toEqual(
      ['2/6', 'Discover', 'Fukuoka in 3 Days', 'Home', 'Inbox', 'JIMBOCHO', 'We actually stayed here'].sort(),
    );
  });
});
