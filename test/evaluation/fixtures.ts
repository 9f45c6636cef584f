import {
  canonicalSearchType,
  type SearchRequestInput,
  type SearchResponse,
  type SearchType,
  type Searcher,
} from '../../src/contracts/search.js';
import { parseDataset, type EvalDataset } from '../../src/cli/evaluation/dataset.js';

/** Four queries, one of each kind, with hand-picked expectations. */
export const tinyDataset: EvalDataset = parseDataset({
  metadata: { version: '1.0', split: 'test' },
  queries: [
    {
      query_id: 'q1',
      query_text: 'teamlab fukuoka',
      query_type: 'single-item-precision',
      expected_items: [{ item_id: 'A', relevance: 'high' }],
    },
    {
      query_id: 'q2',
      query_text: 'squid game seoul',
      query_type: 'single-item-precision',
      expected_items: [{ item_id: 'B', relevance: 'high' }],
    },
    {
      query_id: 'q3',
      query_text: 'ramen shops',
      query_type: 'multi-item-recall',
      expected_items: [
        { item_id: 'C', relevance: 'high' },
        { item_id: 'D', relevance: 'medium' },
        { item_id: 'E', relevance: 'high' },
      ],
    },
    { query_id: 'q4', query_text: 'scuba diving in Iceland', query_type: 'edge-case-no-results', expected_items: [], expected_count: 0 },
  ],
});

export type Script = Partial<Record<SearchType, Record<string, string[] | Error>>>;

/**
 * Per search type and query text, which ids to return (or an Error to throw).
 * bm25: q1 at rank 1, q2 at rank 2, q3 C@1 D@4 (E at 11), edge → nothing.
 * vector: q1 missing, q2 at rank 1, q3 E@1 C@2, edge → one item.
 */
export const defaultScript: Script = {
  bm25: {
    'teamlab fukuoka': ['A', 'x1', 'x2'],
    'squid game seoul': ['x1', 'B'],
    'ramen shops': ['C', 'x1', 'x2', 'D', 'x3', 'x4', 'x5', 'x6', 'x7', 'x8', 'E'],
    'scuba diving in Iceland': [],
  },
  vector: {
    'teamlab fukuoka': ['x1', 'x2'],
    'squid game seoul': ['B'],
    'ramen shops': ['E', 'C'],
    'scuba diving in Iceland': ['x9'],
  },
};

export function response(request: SearchRequestInput, ids: string[], retrievalMs = 5): SearchResponse {
  const searchType = canonicalSearchType(request.search_type);
  return {
    query: request.query,
    search_type: searchType,
    match: ids.length ? 'strong' : 'none',
    results: ids.map((id, i) => ({
      item_id: id,
      rank: i + 1,
      score: 1 / (i + 1),
      score_type: 'relevance',
      match: 'strong',
      category: null,
      headline: null,
      summary: null,
      thumbnail_url: null,
      image_url: `/items/${id}/image`,
      metadata: {},
    })),
    total_results: ids.length,
    retrieval_time_ms: retrievalMs,
  };
}

/** A Searcher that answers from a script and records every call. */
export class FakeSearcher implements Searcher {
  calls: { userId: string; request: SearchRequestInput }[] = [];
  constructor(private readonly script: Script = defaultScript) {}
  async search(userId: string, request: SearchRequestInput): Promise<SearchResponse> {
    this.calls.push({ userId, request });
    const answer = this.script[canonicalSearchType(request.search_type)]?.[request.query];
    if (answer instanceof Error) throw answer;
    return response(request, (answer ?? []).slice(0, request.top_k ?? 10));
  }
}
