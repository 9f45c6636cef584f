import { tool } from '@langchain/core/tools';
import { z } from 'zod';

export const WEB_TOOL_NAME = 'search_web';

const TavilyResponse = z.object({
  answer: z.string().nullish(),
  results: z.array(z.object({ title: z.string().nullish(), url: z.string(), content: z.string().nullish() })).default([]),
});

export interface WebSearchOptions {
  apiKey: string;
  /** https://api.tavily.com, or a local server in tests. */
  baseUrl: string;
  timeoutMs: number;
  maxResults?: number;
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);

/**
 * `search_web(query)` through Tavily's search API, registered only when TAVILY_API_KEY is set.
 * A failure throws: the agent's tool node turns it into a message the model reads ("the tool
 * failed"), so the turn goes on.
 */
export function createWebSearchTool(options: WebSearchOptions) {
  return tool(
    async ({ query }: { query: string }) => {
      const res = await fetch(new URL('/search', options.baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${options.apiKey}` },
        body: JSON.stringify({ query, max_results: options.maxResults ?? 5, search_depth: 'basic', include_answer: true }),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      if (!res.ok) throw new Error(`web search failed: HTTP ${res.status}`);
      const body = TavilyResponse.parse(await res.json());
      if (body.results.length === 0) return `No web results for "${query}".`;
      const lines = body.results.map((r) => `- ${r.title ?? r.url} (${r.url}): ${clip(r.content ?? '', 400)}`);
      return [body.answer ? `Summary: ${body.answer}` : '', ...lines].filter(Boolean).join('\n');
    },
    {
      name: WEB_TOOL_NAME,
      description:
        'Search the web for current facts the collection lacks (opening hours, prices, addresses, news). Returns titles, URLs and snippets; cite the URLs.',
      schema: z.object({ query: z.string().describe('A web search query') }),
    },
  );
}
