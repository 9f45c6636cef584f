/**
 * A hand-written concept lexicon for the offline semantic embedder: the everyday vocabulary of
 * saved screenshots (travel, food, coding and AI tools, beauty, shopping, culture, nature)
 * grouped into concepts, so that words the word vectors miss or get wrong still meet:
 * "hot spring" / "onsen" / "sento", "coding" / "programming" / "IDE", "izakaya" / "pub".
 *
 * The concepts are data (concept-table-places.ts, concept-table-interests.ts and
 * concept-table-everyday.ts, in the format
 * concept-definition.ts describes); this module lists them in one table and matches them in
 * text. Changing the table changes the vectors: the local embedder's `revision` hashes the table
 * (`lexiconFingerprint`), and rows made with another revision are re-embedded when the local
 * server starts (services/search/reindex.ts).
 */
import { createHash } from 'node:crypto';
import type { ConceptDefinition } from './concept-definition.js';
import { EVERYDAY_CONCEPTS } from './concept-table-everyday.js';
import { INTEREST_CONCEPTS } from './concept-table-interests.js';
import { PLACE_CONCEPTS } from './concept-table-places.js';
import { analyzeText } from './analyze.js';

export type { ConceptDefinition };

export const CONCEPTS: readonly ConceptDefinition[] = [...PLACE_CONCEPTS, ...INTEREST_CONCEPTS, ...EVERYDAY_CONCEPTS];

/** A short hash of a concept table: two tables with the same one give the same vectors. */
export function lexiconFingerprint(definitions: readonly ConceptDefinition[]): string {
  const hash = createHash('sha256');
  for (const d of definitions) hash.update(`${d.id}\u0000${d.terms}\u0000${d.gloss}\u0001`);
  return hash.digest('hex').slice(0, 16);
}

export interface ConceptMatch {
  concept: number;
  /** First and one-past-last token of the match in `stems`. */
  start: number;
  end: number;
  weight: number;
}

interface Entry {
  concept: number;
  weight: number;
}

/** Terms compiled to stem sequences, looked up longest first at each position. */
export class ConceptLexicon {
  readonly ids: readonly string[];
  readonly glosses: readonly (readonly string[])[];
  private readonly entries = new Map<string, Entry[]>();
  private readonly maxLength: number;

  /** lexiconFingerprint of the table it was built from. */
  readonly fingerprint: string;

  constructor(definitions: readonly ConceptDefinition[] = CONCEPTS) {
    this.fingerprint = lexiconFingerprint(definitions);
    this.ids = definitions.map((d) => d.id);
    this.glosses = definitions.map((d) => d.gloss.split(/\s+/).filter(Boolean));
    let maxLength = 1;
    definitions.forEach((def, concept) => {
      for (const raw of def.terms.split(',')) {
        let term = raw.trim();
        if (!term) continue;
        const loose = term.startsWith('~');
        if (loose) term = term.slice(1);
        const { stems } = analyzeText(term);
        if (stems.length === 0) continue;
        const key = stems.join(' ');
        const list = this.entries.get(key) ?? [];
        const weight = loose ? 0.5 : 1;
        const existing = list.find((e) => e.concept === concept);
        if (existing) existing.weight = Math.max(existing.weight, weight);
        else list.push({ concept, weight });
        this.entries.set(key, list);
        maxLength = Math.max(maxLength, stems.length);
      }
    });
    this.maxLength = maxLength;
  }

  /**
   * Concepts named in `stems`. At each position the longest term that matches wins and the scan
   * continues after it, so "hot spring" is one match, not "hot" plus "spring".
   */
  match(stems: readonly string[]): ConceptMatch[] {
    const matches: ConceptMatch[] = [];
    let i = 0;
    while (i < stems.length) {
      let advanced = false;
      for (let n = Math.min(this.maxLength, stems.length - i); n >= 1; n--) {
        const list = this.entries.get(n === 1 ? stems[i]! : stems.slice(i, i + n).join(' '));
        if (!list) continue;
        for (const e of list) matches.push({ concept: e.concept, start: i, end: i + n, weight: e.weight });
        i += n;
        advanced = true;
        break;
      }
      if (!advanced) i += 1;
    }
    return matches;
  }
}
