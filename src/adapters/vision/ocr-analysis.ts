import type { AnalysisInput } from '../../domain/analysis.js';
import type { ImageFacts } from '../../ports/vision.js';
import { COUNTRIES } from './destinations.js';
import { matchCategory, matchSource } from './keyword-rules.js';
import { isChromeLine } from './screen-chrome.js';
import type { OcrLine, OcrPage } from './ocr-page.js';

/**
 * Turns OCR lines and image facts into an analysis, by rules: what a vision model would infer,
 * approximated from the text's size, position and wording. Pure, so it is tested without OCR.
 */

/** Below this tesseract confidence a line is nearly always noise (textures, icons, photos). */
const MIN_LINE_CONFIDENCE = 40;
/** A status bar sits in the top few percent of a phone screenshot. */
const STATUS_BAR_FRACTION = 0.06;
const HEADLINE_MAX_CHARS = 120;

export interface TextLine {
  text: string;
  /** Line box height in original pixels: bigger type, more prominent. */
  height: number;
  top: number;
  left: number;
  isStatusBar: boolean;
}

const collapseSpaces = (s: string) => s.replace(/\s+/g, ' ').trim();
const count = (s: string, re: RegExp) => s.match(re)?.length ?? 0;

function isReadable(text: string, confidence: number): boolean {
  if (confidence < MIN_LINE_CONFIDENCE) return false;
  const alnum = count(text, /[\p{L}\p{N}]/gu);
  const visible = count(text, /\S/g);
  // Icons and photo textures come out as short runs of punctuation with a stray letter.
  return alnum >= 2 && alnum / visible >= 0.5;
}

const STATUS_BAR_TIME = /^\d{1,2}[:.]\d{2}\b/;

/** Readable lines in reading order: top to bottom, and left to right within a row. */
export function readingOrder(page: OcrPage): TextLine[] {
  const lines = page.lines
    .map((l: OcrLine) => ({ ...l, text: collapseSpaces(l.text) }))
    .filter((l) => isReadable(l.text, l.confidence))
    .sort((a, b) => a.bbox.y0 + a.bbox.y1 - (b.bbox.y0 + b.bbox.y1));

  // Lines whose vertical centre falls inside the row's first line share that row.
  const rows: (typeof lines)[] = [];
  for (const line of lines) {
    const row = rows.at(-1);
    const centre = (line.bbox.y0 + line.bbox.y1) / 2;
    if (row?.[0] && centre >= row[0].bbox.y0 && centre <= row[0].bbox.y1) row.push(line);
    else rows.push([line]);
  }

  const ordered: TextLine[] = [];
  for (const row of rows) {
    row.sort((a, b) => a.bbox.x0 - b.bbox.x0);
    for (const l of row) {
      if (ordered.at(-1)?.text === l.text) continue;
      ordered.push({
        text: l.text,
        height: l.bbox.y1 - l.bbox.y0,
        top: l.bbox.y0,
        left: l.bbox.x0,
        isStatusBar: l.bbox.y1 <= page.height * STATUS_BAR_FRACTION && STATUS_BAR_TIME.test(l.text),
      });
    }
  }
  return ordered;
}

/** Most prominent first: taller type wins, near-ties (within 10%) go to the higher line. */
export function byProminence(lines: TextLine[]): TextLine[] {
  return [...lines].sort((a, b) => {
    const taller = Math.max(a.height, b.height);
    if (Math.abs(a.height - b.height) > taller * 0.1) return b.height - a.height;
    return a.top - b.top;
  });
}

const HASHTAG = /(?<![\p{L}\p{N}_&])#([\p{L}\p{N}_]{2,50})/gu;
const MENTION = /(?<![\p{L}\p{N}_.@])@([A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?)/gu;

function uniqueCaseless(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const key = v.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export const hashtagsIn = (text: string) => uniqueCaseless([...text.matchAll(HASHTAG)].map((m) => `#${m[1]}`));
export const mentionsIn = (text: string) => uniqueCaseless([...text.matchAll(MENTION)].map((m) => `@${m[1]}`));

/** A line that is only tags or handles says little on its own. */
const isOnlyTags = (text: string) => text.replace(HASHTAG, '').replace(MENTION, '').trim().length === 0;

const PRICE = /[$€£¥]\s?\d|\b\d+(?:[.,]\d{2})?\s?(?:usd|eur|gbp|jpy|yen)\b/i;
const HOURS =
  /\b\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?\s*[-–~]\s*\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?\b|\b(?:opens?\s+(?:now|daily|\d)|closes\s+\d|hours\b)/i;
const STREET_ADDRESS =
  /\b\d{1,5}\s+(?:[A-Z][\w'.-]*\s+){0,4}(?:St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Ln|Lane|Dr|Drive|Way|Pl|Place|Sq|Square|Ct|Court|Hwy|Highway)\b\.?/;
const LABELLED_PLACE = /^(?:address|location|where)\s*[:\-–]\s*(.{3,80})$/i;
const PLACE_COMMA_COUNTRY = new RegExp(`\\b((?:[A-Z][\\p{L}'-]+ ){0,2}[A-Z][\\p{L}'-]+), (${COUNTRIES.join('|')})\\b`, 'u');

export function placesIn(lines: string[]): string[] {
  const places: string[] = [];
  for (const line of lines) {
    const labelled = LABELLED_PLACE.exec(line);
    if (labelled?.[1]) places.push(labelled[1].trim());
    const street = STREET_ADDRESS.exec(line);
    if (street) places.push(street[0].trim());
    const placeCountry = PLACE_COMMA_COUNTRY.exec(line);
    if (placeCountry) places.push(`${placeCountry[1]}, ${placeCountry[2]}`);
  }
  return uniqueCaseless(places);
}

const formatGps = (gps: NonNullable<ImageFacts['gps']>) => `${gps.latitude.toFixed(5)}, ${gps.longitude.toFixed(5)}`;
/** EXIF dates come as ISO strings; a day is what a person remembers. */
const formatDate = (iso: string) => (/^\d{4}-\d{2}-\d{2}/.test(iso) ? iso.slice(0, 10) : iso);

/**
 * On a phone screenshot the app's own bars take the top and bottom of the screen (status bar,
 * TikTok's "LIVE Explore Following For You", a browser's address bar; tab bars below): their
 * text is never the title, even misread past what isChromeLine knows ("Followving").
 */
const APP_BARS_TOP = 0.11;
const APP_BARS_BOTTOM = 0.92;
/** A line that is only a web address: the browser's address bar, not what the page says. */
const ADDRESS_ONLY = /^(?:https?:\/\/)?(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?:\/\S*)?$/i;
/** One lower-case run of letters and digits: a username over a post ("kathrinacorgan"), not a title. */
const USERNAME = /^[\p{Ll}\p{N}_.]{5,}$/u;
const latinShare = (s: string) => count(s, /\p{Script=Latin}/gu) / Math.max(1, count(s, /\p{L}/gu));
/** A single word wins over a phrase only when it is set this much larger. */
const SINGLE_WORD_TITLE_SCALE = 1.5;

/**
 * Lines that can be the headline, most prominent first: not in the app's bars, not an
 * address, not a username, and Latin when there are Latin lines to choose from (the model
 * reads kana poorly, and an English headline is what the rest of the analysis speaks). A
 * phrase is preferred to a lone word unless the word is set much larger (a big "JIMBOCHO").
 */
function titleCandidates(statements: TextLine[], page: OcrPage, facts: ImageFacts): TextLine[] {
  const phone = looksLikePhoneScreen(facts);
  const inAppBars = (l: TextLine) => phone && (l.top < page.height * APP_BARS_TOP || l.top + l.height > page.height * APP_BARS_BOTTOM);
  const anyLatin = statements.some((l) => latinShare(l.text) >= 0.5 && count(l.text, /\p{L}/gu) >= 3);
  const worthy = statements.filter(
    (l) => !inAppBars(l) && !ADDRESS_ONLY.test(l.text) && !USERNAME.test(l.text) && (!anyLatin || latinShare(l.text) >= 0.5),
  );
  const isPhrase = (l: TextLine) => l.text.trim().split(/\s+/).length >= 2;
  const phrase = worthy.find(isPhrase);
  const first = worthy[0];
  if (!first || !phrase || isPhrase(first) || first.height >= phrase.height * SINGLE_WORD_TITLE_SCALE) return worthy;
  return [phrase, ...worthy.filter((l) => l !== phrase)];
}

/** Phone screenshots are tall, phone-width, and have no camera in their EXIF. */
function looksLikePhoneScreen(facts: ImageFacts): boolean {
  const ratio = facts.height / facts.width;
  return !facts.camera && ratio >= 1.6 && ratio <= 2.4 && facts.width <= 1600;
}

function likelySource(lines: TextLine[], allText: string, facts: ImageFacts): string {
  const fromUi = matchSource(allText);
  if (fromUi) return fromUi;
  if (facts.camera) return 'Photo';
  if (lines.some((l) => l.isStatusBar) || looksLikePhoneScreen(facts)) return 'Screenshot';
  if (facts.format.toLowerCase() === 'png') return 'Screenshot';
  return lines.length > 0 ? 'Screenshot' : 'Photo';
}

/** A handle alone on its line, or after "by", is the account that posted it. */
function originalPoster(lines: string[]): string | null {
  for (const line of lines) {
    const handle = /^(@[A-Za-z0-9_.]+)$/.exec(line)?.[1] ?? /\bby\s+(@[A-Za-z0-9_.]+)/i.exec(line)?.[1];
    if (handle) return handle;
  }
  return null;
}

const asSentence = (s: string) => (/[.!?…]$/.test(s) ? s : `${s}.`);
const truncate = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1).trimEnd()}…`);
const titleCase = (s: string) => s.replace(/(^|\s)(\p{L})/gu, (_, sp: string, c: string) => sp + c.toUpperCase());

function factsSentence(facts: ImageFacts): string | null {
  const parts: string[] = [];
  if (facts.captured_at) parts.push(`captured ${formatDate(facts.captured_at)}`);
  if (facts.gps) parts.push(`at ${formatGps(facts.gps)}`);
  if (facts.camera) parts.push(`with ${facts.camera}`);
  if (parts.length === 0) return null;
  const s = parts.join(' ');
  return asSentence(s[0]!.toUpperCase() + s.slice(1));
}

export function analysisFromText(page: OcrPage, facts: ImageFacts): AnalysisInput {
  const onScreen = readingOrder(page);
  // The whole page tells which app it is (a tab bar is the surest sign); the status bar and
  // the app's navigation are kept out of everything else, the searchable text included.
  const pageText = onScreen.map((l) => l.text).join('\n');
  const lines = onScreen.filter((l) => !l.isStatusBar && !isChromeLine(l.text));
  const extracted = lines.map((l) => l.text);
  const allText = extracted.join('\n');
  // Letter-less lines (clocks, counters) never say what an image is about.
  const content = lines.filter((l) => count(l.text, /\p{L}/gu) >= 2);
  const prominent = byProminence(content);
  const statements = prominent.filter((l) => !isOnlyTags(l.text));

  const hashtags = hashtagsIn(allText);
  const mentions = mentionsIn(allText);
  // Handles name people, not topics ("@foodie" says nothing about this post); tags do.
  const match = matchCategory(allText.replace(MENTION, ' '));
  const source = likelySource(onScreen, pageText, facts);
  const kind = source === 'Photo' ? 'photo' : 'screenshot';
  const factsLine = factsSentence(facts);

  // Lines worth telling: statements that read like a title first, then any statement, then
  // tag-only lines when there is nothing else.
  const titles = titleCandidates(statements, page, facts);
  const telling = titles.length > 0 ? titles : statements.length > 0 ? statements : prominent;
  const headlineLine = telling[0];
  const textAmount = lines.length > 0 ? 'little readable text' : 'no readable text';
  const headline = headlineLine ? truncate(headlineLine.text, HEADLINE_MAX_CHARS) : `${titleCase(kind)} with ${textAmount}`;

  let summary: string;
  if (headlineLine) {
    // The 2–3 most prominent lines, told in the order they appear on screen.
    const chosen = telling.slice(0, 3).sort((a, b) => a.top - b.top || a.left - b.left);
    summary = [...chosen.map((l) => asSentence(l.text)), factsLine].filter(Boolean).join(' ');
  } else {
    // No words to go on (a photo, or only a clock and numbers): describe the image itself.
    const quoted = lines.length > 0 ? ` ("${truncate(extracted.join(' '), 80)}")` : '';
    const what = `A ${facts.width}×${facts.height} ${facts.format.toUpperCase()} ${kind} with ${textAmount}${quoted}`;
    summary = factsLine ? `${what}, ${factsLine.charAt(0).toLowerCase()}${factsLine.slice(1)}` : `${what}.`;
  }

  const fact = content.find((l) => l !== headlineLine && (PRICE.test(l.text) || HOURS.test(l.text) || STREET_ADDRESS.test(l.text)));
  const keyInterest = headlineLine ? (fact ? `${headline}: ${fact.text}` : headline) : null;

  const poster = originalPoster(extracted);

  const locations = placesIn(content.map((l) => l.text));
  if (facts.gps) locations.push(formatGps(facts.gps));

  return {
    category: match.category,
    subcategories: match.keywords.slice(0, 4).map(titleCase),
    headline,
    summary,
    media_metadata: {
      original_poster: poster,
      tagged_accounts: mentions,
      location_tags: locations,
      audio_source: null,
      hashtags,
    },
    image_details: {
      extracted_text: extracted,
      objects: [],
      themes: match.themes,
      emotions: [],
      vibes: [],
      likely_source: source,
      key_interest: keyInterest,
      visual_hierarchy: prominent.slice(0, 5).map((l) => l.text),
    },
  };
}
