import { tool } from '@langchain/core/tools';
import { z } from 'zod';
import type { Database } from '../../../ports/database.js';
import { AnalysesRepository } from '../../../repositories/analyses.js';
import { ItemsRepository } from '../../../repositories/items.js';

export const GET_ITEM_TOOL_NAME = 'get_item';

/**
 * `get_item(item_id)`: the full latest analysis of one of the caller's items. The user id is
 * bound here, not an argument, so a model cannot read another user's item; an unknown or
 * foreign id reads as "not found".
 */
export function createGetItemTool(db: Database, userId: string) {
  const items = new ItemsRepository(db);
  const analyses = new AnalysesRepository(db);
  return tool(
    async ({ item_id }: { item_id: string }) => {
      const id = item_id.trim();
      const item = await items.get(userId, id);
      if (!item) return `No item with id ${id} in this collection.`;
      const analysis = await analyses.latest(userId, id);
      return JSON.stringify({
        item_id: id,
        status: item.status,
        saved_at: new Date(item.created_at).toISOString(),
        original_filename: item.original_filename,
        analysis: analysis ? analysis.raw : null,
      });
    },
    {
      name: GET_ITEM_TOOL_NAME,
      description:
        'Everything known about one saved item: category, headline, summary, all the text in the image, places, hashtags, objects, themes. ' +
        'Use an item id returned by search_collection.',
      schema: z.object({ item_id: z.string().describe('The item id, as returned by search_collection') }),
    },
  );
}
