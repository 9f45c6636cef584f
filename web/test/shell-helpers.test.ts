import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { maskableSvg } from '../scripts/icons.js';
import { isTextEntry } from '../src/lib/dom.js';
import { MIN_QUERY_CHARS, moveHighlight, resultsAnnouncement, resultsHeading, searchPagePath } from '../src/lib/quick-search.js';
import { THEME_KEY, applyTheme, parseTheme, readStoredTheme, setTheme, themeSnapshot } from '../src/lib/theme.js';
import { clipboardFiles, filesToUpload, named } from '../src/uploads/clipboard.js';
import { readNearDuplicates } from '../src/uploads/near-duplicates.js';

/** The pure parts of the app shell: header search, theme, paste, near-duplicates, icons. */
const el = (tagName: string, extra: Record<string, unknown> = {}) => ({ tagName, closest: () => null, ...extra });
const png = (name: string) => new File([new Uint8Array([137, 80, 78, 71])], name, { type: 'image/png' });

afterEach(() => vi.unstubAllGlobals());

describe('text fields (shortcuts and pastes leave them alone)', () => {
  it('knows inputs that take text from those that do not', () => {
    expect(isTextEntry(el('INPUT', { type: 'search' }))).toBe(true);
    expect(isTextEntry(el('INPUT', { type: 'text' }))).toBe(true);
    expect(isTextEntry(el('INPUT', {}))).toBe(true);
    expect(isTextEntry(el('TEXTAREA'))).toBe(true);
    expect(isTextEntry(el('SELECT'))).toBe(true);
    expect(isTextEntry(el('DIV', { isContentEditable: true }))).toBe(true);
    expect(isTextEntry(el('SPAN', { closest: (s: string) => (s.includes('contenteditable') ? {} : null) }))).toBe(true);
    for (const type of ['checkbox', 'radio', 'file', 'button', 'submit']) expect(isTextEntry(el('INPUT', { type }))).toBe(false);
    expect(isTextEntry(el('BODY'))).toBe(false);
    expect(isTextEntry(null)).toBe(false);
  });
});

describe('header search', () => {
  it('heads weak results and says when nothing is found', () => {
    expect(resultsHeading('strong')).toBeNull();
    expect(resultsHeading('weak')).toBe('No close match — closest items');
    expect(resultsHeading('none')).toBe('Nothing found');
    expect(resultsAnnouncement('strong', 3)).toBe('3 items found');
    expect(resultsAnnouncement('weak', 1)).toBe('No close match; the 1 item closest');
    expect(resultsAnnouncement('none', 0)).toBe('Nothing found');
    expect(MIN_QUERY_CHARS).toBe(2);
  });

  it('moves the highlight with wrap-around, from none to the first or the last', () => {
    expect(moveHighlight(-1, 1, 3)).toBe(0);
    expect(moveHighlight(-1, -1, 3)).toBe(2);
    expect(moveHighlight(2, 1, 3)).toBe(0);
    expect(moveHighlight(0, -1, 3)).toBe(2);
    expect(moveHighlight(1, 1, 3)).toBe(2);
    expect(moveHighlight(0, 1, 0)).toBe(-1);
  });

  it('sends Enter without a highlight to the search page', () => {
    expect(searchPagePath('  ramen in Fukuoka ')).toBe('/search?q=ramen+in+Fukuoka');
    expect(searchPagePath('a&b=c')).toBe('/search?q=a%26b%3Dc');
  });
});

describe('theme', () => {
  it('reads only light and dark as choices; anything else is the system’s', () => {
    expect(parseTheme('dark')).toBe('dark');
    expect(parseTheme('light')).toBe('light');
    for (const v of [null, undefined, '', 'blue', 1]) expect(parseTheme(v)).toBe('system');
  });

  it('stores the choice, sets data-theme on the root, and removes both for system', () => {
    const store = new Map<string, string>();
    vi.stubGlobal('localStorage', {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => store.set(k, v),
      removeItem: (k: string) => store.delete(k),
    });
    const attributes = new Map<string, string>();
    const root = { setAttribute: (k: string, v: string) => attributes.set(k, v), removeAttribute: (k: string) => attributes.delete(k) };
    vi.stubGlobal('document', { documentElement: root });
    setTheme('dark');
    expect(store.get(THEME_KEY)).toBe('dark');
    expect(attributes.get('data-theme')).toBe('dark');
    expect(readStoredTheme()).toBe('dark');
    expect(themeSnapshot()).toBe('dark');
    setTheme('system');
    expect(store.has(THEME_KEY)).toBe(false);
    expect(attributes.has('data-theme')).toBe(false);
    applyTheme('light', root as unknown as HTMLElement);
    expect(attributes.get('data-theme')).toBe('light');
  });

  it('falls back to the system theme when storage is unavailable', () => {
    vi.stubGlobal('localStorage', {
      getItem: () => {
        throw new Error('SecurityError');
      },
    });
    expect(readStoredTheme()).toBe('system');
  });
});

describe('pasted files', () => {
  it('takes files (or file items) from the clipboard', () => {
    const a = png('a.png');
    expect(clipboardFiles({ files: [a] })).toEqual([a]);
    expect(
      clipboardFiles({
        files: [],
        items: [
          { kind: 'string', getAsFile: () => null },
          { kind: 'file', getAsFile: () => a },
        ],
      }),
    ).toEqual([a]);
    expect(clipboardFiles(null)).toEqual([]);
  });

  it('uploads images pasted anywhere, leaves text (and non-images pasted into a field) alone', () => {
    const shot = png('shot.png');
    const pdf = new File(['%PDF'], 'notes.pdf', { type: 'application/pdf' });
    expect(filesToUpload({ files: [shot] }, el('BODY'))).toEqual([shot]);
    expect(filesToUpload({ files: [shot] }, el('INPUT', { type: 'search' }))).toEqual([shot]);
    expect(filesToUpload({ files: [] }, el('INPUT', { type: 'search' }))).toEqual([]);
    expect(filesToUpload({ files: [pdf] }, el('TEXTAREA'))).toEqual([]);
    // Outside a field a non-image is passed on: the upload queue says why it is refused.
    expect(filesToUpload({ files: [pdf] }, el('BODY'))).toEqual([pdf]);
  });

  it('names a pasted screenshot by the time it was pasted', () => {
    const at = new Date(2025, 0, 2, 3, 4, 5);
    expect(named(png('image.png'), at).name).toBe('Pasted image 2025-01-02 03.04.05.png');
    expect(named(new File([new Uint8Array(1)], '', { type: 'image/jpeg' }), at).name).toBe('Pasted image 2025-01-02 03.04.05.jpeg');
    const kept = png('receipt.png');
    expect(named(kept, at)).toBe(kept);
  });
});

describe('near duplicates of an upload', () => {
  it('reads the field defensively, closest first, without the item itself or repeats', () => {
    expect(readNearDuplicates({})).toEqual([]);
    expect(readNearDuplicates(null)).toEqual([]);
    expect(readNearDuplicates({ near_duplicates: 'no' })).toEqual([]);
    const body = {
      id: 'self',
      near_duplicates: [
        { id: 'b', distance: 6, headline: 'Ramen', thumbnail_url: '/items/b/thumbnail' },
        { id: 'a', distance: 2, headline: '', thumbnail_url: null },
        { id: 'self', distance: 0, headline: 'me', thumbnail_url: null },
        { id: 'b', distance: 6, headline: 'again', thumbnail_url: null },
        { distance: 1 },
        null,
      ],
    };
    expect(readNearDuplicates(body, 'self')).toEqual([
      { id: 'a', distance: 2, headline: null, thumbnail_url: null },
      { id: 'b', distance: 6, headline: 'Ramen', thumbnail_url: '/items/b/thumbnail' },
    ]);
  });
});

describe('app icons', () => {
  it('draws the maskable icon full-bleed with the tiles inside the safe zone', () => {
    const favicon = readFileSync(new URL('../public/favicon.svg', import.meta.url), 'utf8');
    const svg = maskableSvg(favicon);
    expect(svg).toContain('<rect width="64" height="64" fill="#2f5d50"/>');
    expect(svg.match(/<rect x=/g)).toHaveLength(4);
    // Tiles span 14..50 of 64; scaled by 0.8 about the centre their corners stay inside the 40 % radius.
    const half = ((50 - 14) / 2) * 0.8;
    expect(Math.hypot(half, half) / 64).toBeLessThan(0.4);
  });
});
