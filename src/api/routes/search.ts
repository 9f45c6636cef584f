import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { z } from '../../contracts/zod.js';
import type { Services } from '../../services/services.js';
import type { AppEnv } from '../context.js';
import { SearchRequestSchema, SearchResponseSchema, SEARCH_TYPES } from '../../contracts/search.js';
import { errorResponses } from '../schemas.js';

const searchRoute = createRoute({
  method: 'post',
  path: '/search',
  tags: ['search'],
  summary: 'Search the caller’s collection (bm25, vector, hybrid or agentic)',
  request: { body: { required: true, content: { 'application/json': { schema: SearchRequestSchema } } } },
  responses: {
    200: { content: { 'application/json': { schema: SearchResponseSchema } }, description: 'Results, best first (ranks 1..n)' },
    ...errorResponses(400, 401),
  },
});

const SearchConfigSchema = z
  .object({
    search_types: z.array(z.enum(SEARCH_TYPES)),
    default_search_type: z.literal('hybrid'),
    embedding_model: z.string(),
    embedding_dimensions: z.number().int(),
    bm25: z.object({ k1: z.number(), b: z.number(), field_weights: z.record(z.string(), z.number()) }),
    fusion: z.object({ rrf_k: z.number(), bm25_weight: z.number(), vector_weight: z.number() }),
    cutoff: z.object({
      min_bm25_coverage: z.number(),
      min_vector_score: z.number(),
      doc_min_bm25_coverage: z.number(),
      doc_min_vector_score: z.number(),
      min_hybrid_evidence: z.number(),
    }),
    answer_available: z.boolean(),
    agentic_available: z.boolean(),
  })
  .openapi('SearchConfig');

const configRoute = createRoute({
  method: 'get',
  path: '/search/config',
  tags: ['search'],
  summary: 'How search is configured (model, weights, cutoffs)',
  responses: { 200: { content: { 'application/json': { schema: SearchConfigSchema } }, description: 'Search settings' } },
});

export function registerSearchRoutes(app: OpenAPIHono<AppEnv>, services: Services) {
  app.openapi(searchRoute, async (c) => {
    const response = await (await services.search()).search(c.get('caller').userId, c.req.valid('json'));
    return c.json(response, 200);
  });
  app.openapi(configRoute, async (c) => {
    const s = services.searcher.config;
    const withModel = await services.search();
    return c.json(
      {
        search_types: [...SEARCH_TYPES],
        default_search_type: 'hybrid' as const,
        embedding_model: services.embedder.id,
        embedding_dimensions: services.embedder.dimensions,
        bm25: { k1: s.bm25.k1, b: s.bm25.b, field_weights: s.bm25.weights },
        fusion: { rrf_k: s.fusion.rrfK, bm25_weight: s.fusion.bm25Weight, vector_weight: s.fusion.vectorWeight },
        cutoff: {
          min_bm25_coverage: s.minBm25Coverage,
          min_vector_score: s.minVectorScore,
          doc_min_bm25_coverage: s.docMinBm25Coverage,
          doc_min_vector_score: s.docMinVectorScore,
          min_hybrid_evidence: s.minHybridEvidence,
        },
        answer_available: withModel.answerAvailable, // chat-model wiring
        agentic_available: withModel.agenticAvailable, // chat-model wiring
      },
      200,
    );
  });
}
