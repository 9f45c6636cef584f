import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/** Query type whose queries expect no results (scored as true negatives, not averaged). */
export const EDGE_QUERY_TYPE = 'edge-case-no-results';
/** Query type whose single expected item should come back at rank 1. */
export const SINGLE_ITEM_QUERY_TYPE = 'single-item-precision';

const ExpectedItemSchema = z.object({
  item_id: z.string().min(1),
  relevance: z.enum(['high', 'medium', 'low']),
});

const QuerySchema = z
  .object({
    query_id: z.string().min(1),
    query_text: z.string().trim().min(1),
    query_type: z.string().min(1),
    expected_items: z.array(ExpectedItemSchema),
    expected_count: z.number().int().optional(),
    notes: z.string().optional(),
  })
  .loose()
  .superRefine((q, ctx) => {
    if (q.query_type === EDGE_QUERY_TYPE && q.expected_items.length > 0) {
      ctx.addIssue({ code: 'custom', message: `a ${EDGE_QUERY_TYPE} query must not expect items` });
    }
  });

/** collections-local's retrieval dataset (`queries.dev.json`). */
export const EvalDatasetSchema = z
  .object({
    metadata: z
      .object({ version: z.string().optional(), split: z.string().optional(), description: z.string().optional() })
      .loose()
      .default({}),
    queries: z.array(QuerySchema).min(1, 'the dataset has no queries'),
  })
  .loose()
  .superRefine((d, ctx) => {
    const seen = new Set<string>();
    d.queries.forEach((q, i) => {
      if (seen.has(q.query_id))
        ctx.addIssue({ code: 'custom', path: ['queries', i, 'query_id'], message: `duplicate query_id ${q.query_id}` });
      seen.add(q.query_id);
    });
  });

export type EvalDataset = z.output<typeof EvalDatasetSchema>;
export type EvalQuery = EvalDataset['queries'][number];

/** A query expecting nothing: its result is a true negative when the search returns nothing. */
export function isEdgeQuery(q: Pick<EvalQuery, 'expected_items'>): boolean {
  return q.expected_items.length === 0;
}

export function parseDataset(data: unknown, source = 'dataset'): EvalDataset {
  const parsed = EvalDatasetSchema.safeParse(data);
  if (!parsed.success) {
    const lines = parsed.error.issues.slice(0, 10).map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`${source} is not a retrieval dataset:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

export async function loadDataset(file: string): Promise<EvalDataset> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read dataset ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`dataset ${file} is not JSON: ${(err as Error).message}`);
  }
  return parseDataset(json, file);
}
