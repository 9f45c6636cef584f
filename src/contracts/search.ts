import { z, type zod } from './zod.js';

/** Search request and response, compatible with collections-local's shapes. */
export const SEARCH_TYPES = ['bm25', 'vector', 'hybrid', 'agentic'] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];

/** Control characters (NUL above all, which Postgres text cannot hold) become spaces. */
export const withoutControlChars = (s: string) => s.replace(/[\u0000-\u001f\u007f]/g, ' ');

/**
 * collections-local's names for its LangChain variants of the same searches: accepted so its
 * clients keep working, and answered as the search they name.
 */
export const SEARCH_TYPE_ALIASES = { 'bm25-lc': 'bm25', 'vector-lc': 'vector', 'hybrid-lc': 'hybrid' } as const satisfies Record<
  string,
  SearchType
>;
const SEARCH_TYPE_NAMES = [...SEARCH_TYPES, ...(Object.keys(SEARCH_TYPE_ALIASES) as (keyof typeof SEARCH_TYPE_ALIASES)[])] as const;
/** The search a requested name stands for (an alias's target; hybrid when none is named). */
export const canonicalSearchType = (name: (typeof SEARCH_TYPE_NAMES)[number] = 'hybrid'): SearchType =>
  name in SEARCH_TYPE_ALIASES ? SEARCH_TYPE_ALIASES[name as keyof typeof SEARCH_TYPE_ALIASES] : (name as SearchType);

/** A calendar day, YYYY-MM-DD, that exists. */
export const IsoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is YYYY-MM-DD')
  .refine(
    (d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    'not a calendar day',
  );

export const SearchRequestSchema = z
  .object({
    query: z
      .string()
      .max(1000, 'query is limited to 1000 characters')
      .transform((q) => withoutControlChars(q).trim())
      .pipe(z.string().min(1, 'query must not be empty')),
    search_type: z
      .enum(SEARCH_TYPE_NAMES)
      .default('hybrid')
      .transform((t) => canonicalSearchType(t))
      .openapi({ description: 'bm25-lc, vector-lc and hybrid-lc (collections-local) are aliases of bm25, vector and hybrid' }),
    top_k: z.number().int().min(1).max(50).default(10),
    category_filter: z
      .string()
      .max(200)
      .transform((c) => withoutControlChars(c).trim())
      .optional(),
    date_from: IsoDateSchema.optional().openapi({ description: 'only items saved on or after this day (UTC)', example: '2026-01-31' }),
    date_to: IsoDateSchema.optional().openapi({ description: 'only items saved on or before this day (UTC)', example: '2026-12-31' }),
    min_similarity_score: z.number().min(0).max(1).optional(),
    include_answer: z.boolean().default(false),
    /** `strong`: only confident matches (the chat tool, agentic search); `weak` (default) also the closest items. */
    min_match: z.enum(['weak', 'strong']).default('weak'),
  })
  .strict()
  .openapi('SearchRequest');
export type SearchRequest = zod.output<typeof SearchRequestSchema>;
export type SearchRequestInput = zod.input<typeof SearchRequestSchema>;

export const MatchVerdictSchema = z.enum(['strong', 'weak', 'none']).openapi('MatchVerdict');
export type MatchVerdict = zod.infer<typeof MatchVerdictSchema>;

export const SearchResultSchema = z
  .object({
    item_id: z.string(),
    rank: z.number().int().min(1),
    /** 0–1: coverage of the query's words (bm25), cosine similarity (vector), their mean (hybrid). */
    score: z.number().min(0).max(1),
    score_type: z.enum(['relevance']),
    /** strong: a confident match; weak: one of the closest items, nothing matched confidently. */
    match: z.enum(['strong', 'weak']),
    category: z.string().nullable(),
    headline: z.string().nullable(),
    summary: z.string().nullable(),
    thumbnail_url: z.string().nullable(),
    image_url: z.string(),
    metadata: z.record(z.string(), z.unknown()),
  })
  .openapi('SearchResult');
export type SearchResult = zod.infer<typeof SearchResultSchema>;

/** The answer's verdict from its results: strong if any is, weak if there are any, else none. */
export function matchVerdict(results: readonly Pick<SearchResult, 'match'>[]): MatchVerdict {
  return results.some((r) => r.match === 'strong') ? 'strong' : results.length ? 'weak' : 'none';
}

export const SearchResponseSchema = z
  .object({
    query: z.string(),
    search_type: z.enum(SEARCH_TYPES),
    /**
     * The verdict on the whole answer: `strong` (at least one confident match), `weak` (only the
     * closest items: show them as such), `none` (nothing to return).
     */
    match: MatchVerdictSchema,
    results: z.array(SearchResultSchema),
    total_results: z.number().int(),
    retrieval_time_ms: z.number(),
    answer: z.string().optional(),
    citations: z.array(z.string()).optional(),
    answer_time_ms: z.number().optional(),
    agent_reasoning: z.string().optional(),
    tools_used: z.array(z.unknown()).optional(),
    /** Why answer/agentic were not available, e.g. `agentic_unavailable`. */
    notices: z.array(z.string()).optional(),
  })
  .openapi('SearchResponse');
export type SearchResponse = zod.infer<typeof SearchResponseSchema>;

/**
 * What evaluation, the retriever and the agent call: one search for one user, in process.
 * `SearchService.search` implements it; `POST /search` is the same function over HTTP.
 */
export interface Searcher {
  search(userId: string, request: SearchRequestInput): Promise<SearchResponse>;
}
