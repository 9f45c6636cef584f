import { tool } from '@langchain/core/tools';
import { z } from 'zod';
import { errorMessage } from '../../../domain/errors.js';
import type { CollectionsRetriever } from '../retriever.js';
import { matchVerdict, type SearchResult } from '../../../contracts/search.js';

/**
 * The agent's `search_collection` tool: hybrid search over the caller's collection. The user id
 * is the retriever's (bound when the request came in); the tool's schema has no user field and
 * unknown arguments are dropped, so nothing a model writes can reach another user's items.
 */

export const SEARCH_TOOL_NAME = 'search_collection';

/** One entry of the response's `tools_used`. */
export interface ToolUse {
  tool: string;
  input: { query: string; category?: string; top_k: number };
  output_summary: string;
  result_ids: string[];
}

/** Every item the agent's searches returned, kept once, with its best score. */
export class FoundItems {
  private readonly items = new Map<string, { result: SearchResult; best: number; order: number }>();

  add(results: readonly SearchResult[]): void {
    for (const r of results) {
      const seen = this.items.get(r.item_id);
      if (!seen) this.items.set(r.item_id, { result: r, best: r.score, order: this.items.size });
      else if (r.score > seen.best) {
        seen.best = r.score;
        seen.result = r;
      }
    }
  }

  get size(): number {
    return this.items.size;
  }

  /** Best score first (ties: found first), ranks 1..n, at most `limit`. */
  ranked(limit: number): SearchResult[] {
    return [...this.items.values()]
      .sort((a, b) => b.best - a.best || a.order - b.order)
      .slice(0, limit)
      .map(({ result, best }, i) => ({ ...result, rank: i + 1, score: best }));
  }
}

export const SearchCollectionArgs = z.object({
  query: z.string().describe('What to look for: a few keywords, e.g. "ramen Fukuoka". One topic per search.'),
  category: z.string().optional().describe('Only items of this category, e.g. Food, Travel, Technology, Beauty. Omit unless sure.'),
  top_k: z.number().optional().describe('How many items to return (1–20, default 5).'),
});
export type SearchCollectionArgs = z.infer<typeof SearchCollectionArgs>;

export interface SearchToolOptions {
  /** Searches allowed per agent run; later calls are refused (the model is told to answer). */
  maxCalls: number;
  /** A category the request fixed: the model cannot widen it. */
  fixedCategory?: string;
  defaultTopK?: number;
  found: FoundItems;
  used: ToolUse[];
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);

/**
 * What the model reads back: one compact line per item. When nothing matched confidently the
 * reply says the items are only the closest ones, so the model does not present them as the
 * answer; weak items among strong ones are marked too.
 */
function toolReply(query: string, results: SearchResult[]): string {
  if (results.length === 0) return `No items in the collection match "${query}".`;
  const lines = results.map((r) => {
    const head = `- item ${r.item_id}${r.category ? ` (${r.category})` : ''}${r.match === 'weak' ? ' [weak match]' : ''}: ${clip(r.headline ?? '(no headline)', 160)}`;
    return r.summary ? `${head} — ${clip(r.summary, 300)}` : head;
  });
  const count = `${results.length} item${results.length === 1 ? '' : 's'}`;
  if (matchVerdict(results) === 'weak') {
    return `No item clearly matches "${query}". The ${count} closest (they may not be what was asked for):\n${lines.join('\n')}`;
  }
  return `${count} for "${query}":\n${lines.join('\n')}`;
}

function summary(results: SearchResult[]): string {
  if (results.length === 0) return 'no items';
  const heads = results.slice(0, 3).map((r) => clip(r.headline ?? r.item_id, 60));
  const more = results.length > 3 ? `; +${results.length - 3} more` : '';
  return `${results.length} item${results.length === 1 ? '' : 's'}: ${heads.join('; ')}${more}`;
}

export function createSearchCollectionTool(retriever: CollectionsRetriever, options: SearchToolOptions) {
  let calls = 0;
  return tool(
    async (args: SearchCollectionArgs) => {
      const query = args.query.trim();
      const category = options.fixedCategory ?? (args.category?.trim() || undefined);
      const topK = Math.min(20, Math.max(1, Math.round(args.top_k ?? options.defaultTopK ?? 5)));
      const input = { query, ...(category ? { category } : {}), top_k: topK };
      if (calls >= options.maxCalls) {
        return `Search limit reached (${options.maxCalls} searches). Answer with what you have found.`;
      }
      calls++;
      if (!query) {
        options.used.push({ tool: SEARCH_TOOL_NAME, input, output_summary: 'error: empty query', result_ids: [] });
        return 'The query was empty: give a few keywords.';
      }
      try {
        const response = await retriever.search(query, { topK, categoryFilter: category, searchType: 'hybrid' });
        options.found.add(response.results);
        options.used.push({
          tool: SEARCH_TOOL_NAME,
          input,
          output_summary: summary(response.results),
          result_ids: response.results.map((r) => r.item_id),
        });
        return toolReply(query, response.results);
      } catch (err) {
        options.used.push({ tool: SEARCH_TOOL_NAME, input, output_summary: `error: ${clip(errorMessage(err), 200)}`, result_ids: [] });
        return `The search failed (${clip(errorMessage(err), 200)}). Try different keywords.`;
      }
    },
    {
      name: SEARCH_TOOL_NAME,
      description:
        "Search the user's own collection of saved screenshots and photos (keyword and meaning search). " +
        'Returns matching items with id, category, headline and summary. Call it once per topic of the question.',
      schema: SearchCollectionArgs,
    },
  );
}
