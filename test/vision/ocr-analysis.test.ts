import { describe, expect, it } from 'vitest';
import { AnalysisSchema } from '../../src/domain/analysis.js';
import type { ImageFacts } from '../../src/ports/vision.js';
import { matchCategory, matchSource } from '../../src/adapters/vision/keyword-rules.js';
import { analysisFromText, byProminence, hashtagsIn, mentionsIn, placesIn, readingOrder } from '../../src/adapters/vision/ocr-analysis.js';
import type { OcrLine, OcrPage } from '../../src/adapters/vision/ocr-page.js';

// The rules without OCR: hand-made lines with the geometry an OCR engine reports.
const line = (text: string, x0: number, y0: number, height: number, confidence = 90): OcrLine => ({
  text,
  confidence,
  bbox: { x0, y0, x1: x0 + text.length * height * 0.5, y1: y0 + height },
});
const page = (lines: OcrLine[], width = 1170, height = 2532): OcrPage => ({ width, height, lines });
const facts: ImageFacts = {
  width: 1170,
  height: 2532,
  format: 'png',
  captured_at: null,
  gps: null,
  camera: null,
};

describe('readingOrder', () => {
  it('orders top to bottom, then left to right within a row', () => {
    const ordered = readingOrder(
      page([
        line('Bottom line', 60, 900, 40),
        line('Right of row', 700, 505, 40),
        line('Left of row', 60, 500, 40),
        line('Top line', 60, 100, 40),
      ]),
    );
    expect(ordered.map((l) => l.text)).toEqual(['Top line', 'Left of row', 'Right of row', 'Bottom line']);
  });

  it('drops low-confidence lines and symbol noise, and tidies spaces', () => {
    const ordered = readingOrder(
      page([
        line('Real   text  here ', 60, 100, 40),
        line('Blurry guess', 60, 200, 40, 25),
        line('° ’ 4', 60, 300, 40, 80),
        line('~~ — ..', 60, 400, 40, 70),
        line('$4.50', 60, 500, 40, 85),
      ]),
    );
    expect(ordered.map((l) => l.text)).toEqual(['Real text here', '$4.50']);
  });

  it('marks a time in the top strip as the status bar', () => {
    const [status, body] = readingOrder(page([line('9:41', 40, 30, 25), line('10:30 meeting', 60, 800, 40)]));
    expect(status?.isStatusBar).toBe(true);
    expect(body?.isStatusBar).toBe(false);
  });
});

describe('byProminence', () => {
  it('puts taller type first and breaks near-ties by position', () => {
    const ordered = byProminence(
      readingOrder(page([line('small', 60, 100, 30), line('second big', 60, 600, 78), line('first big', 60, 300, 80)])),
    );
    expect(ordered.map((l) => l.text)).toEqual(['first big', 'second big', 'small']);
  });
});

describe('text patterns', () => {
  it('finds hashtags and handles, not e-mail addresses', () => {
    expect(hashtagsIn('#ramen and #Fukuoka, #ramen again, C# not a tag')).toEqual(['#ramen', '#Fukuoka']);
    expect(mentionsIn('by @foodie with @Ichiran_JP. mail me at a@b.com')).toEqual(['@foodie', '@Ichiran_JP']);
  });

  it('finds street addresses, labelled places and "Place, Country"', () => {
    expect(placesIn(['Visit us at 123 Main Street today', 'Address: 2-1 Tenjin, Chuo-ku', 'Sunset at Santorini, Greece'])).toEqual([
      '123 Main Street',
      '2-1 Tenjin, Chuo-ku',
      'Santorini, Greece',
    ]);
  });

  it('picks a category by the most keyword hits, in order of appearance', () => {
    expect(matchCategory('Best ramen restaurant, menu inside')).toMatchObject({
      category: 'Food',
      keywords: ['ramen', 'restaurant', 'menu'],
    });
    expect(matchCategory('Everything 40% off, add to cart for $19.99').category).toBe('Shopping');
    expect(matchCategory('nothing telling here').category).toBe('Other');
    // Whole words only: "apple" is not "app", "barista" is not "bar".
    expect(matchCategory('apple barista').category).toBe('Other');
  });

  it('counts plurals, keywords inside hashtags and named destinations', () => {
    // "perfumes" is the keyword "perfume"; "#skincareroutine" holds "skincare".
    expect(matchCategory('Three perfumes to try #skincareroutine')).toMatchObject({
      category: 'Beauty',
      keywords: ['perfume', 'skincare'],
    });
    // A ramen shop in a place people travel to, tagged as travel: a travel find.
    expect(matchCategory('Ramen in Nakameguro, Tokyo #japantravel')).toMatchObject({
      category: 'Travel',
      keywords: ['nakameguro', 'tokyo', 'travel'],
    });
    // A TikTok place tag is a place you can go.
    expect(matchCategory('Kamiyubetsu Tulip Park · 84.7K likes on posts of this place').keywords).toContain('place tag');
    // Names that are words are not destinations.
    expect(matchCategory('a nice bath after the split').category).toBe('Other');
  });

  it('recognises apps from their UI text', () => {
    expect(matchSource('Liked by traveler and 2,341 others')).toBe('Instagram');
    expect(matchSource('original sound - someone')).toBe('TikTok');
    expect(matchSource('r/japantravel · 5h')).toBe('Reddit');
    expect(matchSource('github.com/example/repo')).toBe('Web');
    expect(matchSource('just some words')).toBeNull();
  });
});

describe('analysisFromText', () => {
  it('builds a schema-valid analysis from the text and the facts', () => {
    const a = AnalysisSchema.parse(
      analysisFromText(
        page([
          line('9:41', 40, 30, 25),
          line('Ichiran Ramen Fukuoka', 60, 330, 70),
          line('Open 10:00 - 22:00', 60, 520, 42),
          line('#ramen #fukuoka', 60, 625, 34),
          line('@foodie', 60, 725, 37),
        ]),
        {
          ...facts,
          captured_at: '2025-03-14T12:30:00.000Z',
          gps: { latitude: 33.5902, longitude: 130.4017 },
        },
      ),
    );
    expect(a.headline).toBe('Ichiran Ramen Fukuoka');
    expect(a.summary).toBe('Ichiran Ramen Fukuoka. Open 10:00 - 22:00. Captured 2025-03-14 at 33.59020, 130.40170.');
    expect(a.category).toBe('Food');
    expect(a.subcategories).toEqual(['Ramen']);
    expect(a.media_metadata.location_tags).toEqual(['33.59020, 130.40170']);
    expect(a.image_details.key_interest).toBe('Ichiran Ramen Fukuoka: Open 10:00 - 22:00');
    expect(a.image_details.visual_hierarchy[0]).toBe('Ichiran Ramen Fukuoka');
    expect(a.image_details.likely_source).toBe('Screenshot');
  });

  it('keeps the status bar and the app tab bar out of the headline, summary and text', () => {
    const a = AnalysisSchema.parse(
      analysisFromText(
        page([
          line('9:41', 40, 30, 25),
          // Tesseract reads a TikTok tab bar in the largest type on the screen, garbled.
          line('(Ive ‘M Explore Following” Shop" For You', 40, 120, 80),
          line('Kurokawa Onsen village', 60, 900, 60),
          line('Outdoor baths open daily', 60, 1000, 40),
        ]),
        facts,
      ),
    );
    expect(a.headline).toBe('Kurokawa Onsen village');
    expect(a.image_details.extracted_text).toEqual(['Kurokawa Onsen village', 'Outdoor baths open daily']);
    expect(a.summary).not.toMatch(/Following|9:41/);
    expect(a.image_details.visual_hierarchy.join(' ')).not.toContain('Explore');
    // "Shop" of the tab bar no longer makes it shopping.
    expect(a.category).not.toBe('Shopping');
  });

  it('titles a screenshot with its caption, not the app bars, a username, an address or garbled kana', () => {
    const headline = (lines: OcrLine[]) => analysisFromText(page(lines), facts).headline;
    const caption = line('Fukuoka in 3 Days', 60, 1900, 50);
    // Misread tab bar at the top ("Followving" escapes the chrome words), the address bar, a username set large.
    expect(headline([line('LIVE Explore Followving', 40, 200, 70), caption])).toBe('Fukuoka in 3 Days');
    expect(headline([line('google.com', 40, 400, 70), caption])).toBe('Fukuoka in 3 Days');
    expect(headline([line('kathrinacorgan', 60, 1800, 60), caption])).toBe('Fukuoka in 3 Days');
    // Kana the recogniser has no letters for comes out as stray kanji: English lines are preferred.
    expect(headline([line('日本の日の冒', 60, 900, 80), caption])).toBe('Fukuoka in 3 Days');
    // A phrase beats a slightly larger lone word; a much larger one is the title.
    expect(headline([line('Hokkaido', 60, 900, 60), caption])).toBe('Fukuoka in 3 Days');
    expect(headline([line('JIMBOCHO', 60, 900, 110), caption])).toBe('JIMBOCHO');
    // With nothing else on the screen, the bars' text still makes a headline.
    expect(headline([line('kathrinacorgan', 60, 1800, 60)])).toBe('kathrinacorgan');
  });

  it('describes an image without text by its facts', () => {
    const a = AnalysisSchema.parse(analysisFromText(page([], 1170, 2532), facts));
    expect(a.headline).toBe('Screenshot with no readable text');
    expect(a.summary).toBe('A 1170×2532 PNG screenshot with no readable text.');
    expect(a.image_details.likely_source).toBe('Screenshot');
  });

  it('quotes what little text there is when no line has words', () => {
    const a = AnalysisSchema.parse(analysisFromText(page([line('9:41', 40, 30, 25), line('$4.50', 60, 800, 40)]), facts));
    expect(a.headline).toBe('Screenshot with little readable text');
    // The status bar's clock is not text of the image's own.
    expect(a.summary).toBe('A 1170×2532 PNG screenshot with little readable text ("$4.50").');
    expect(a.image_details.extracted_text).toEqual(['$4.50']);
  });
});
