import { Document } from '@langchain/core/documents';
import { RunnableLambda } from '@langchain/core/runnables';
import { describe, expect, it } from 'vitest';
import { CollectionsRetriever, resultToDocument } from '../../src/services/search/retriever.js';
import { FakeSearcher, fakeResult } from '../helpers/scripted-chat-model.js';

describe('CollectionsRetriever', () => {
  const results = [
    fakeResult(1, 'ramen', 'Ichiran Ramen in Fukuoka'),
    fakeResult(2, 'onsen', 'Kurokawa Onsen hot spring village', { category: 'Travel', thumbnail_url: null }),
    fakeResult(3, 'cursor', 'Cursor: an AI code editor', { category: 'Technology', summary: null }),
  ];

  it('invoke returns Documents in rank order, for the user it was built for', async () => {
    const searcher = new FakeSearcher(results);
    const retriever = new CollectionsRetriever({ searcher, userId: 'alice', topK: 3 });
    const docs = await retriever.invoke('ramen and onsen');

    expect(docs).toHaveLength(3);
    expect(docs[0]).toBeInstanceOf(Document);
    expect(docs.map((d) => d.metadata.item_id)).toEqual(['ramen', 'onsen', 'cursor']);
    expect(docs.map((d) => d.metadata.rank)).toEqual([1, 2, 3]);
    expect(docs[0]!.pageContent).toBe('Ichiran Ramen in Fukuoka\n\nSummary of Ichiran Ramen in Fukuoka.');
    expect(docs[2]!.pageContent).toBe('Cursor: an AI code editor');
    expect(docs[0]!.id).toBe('ramen');
    expect(docs[1]!.metadata).toMatchObject({
      item_id: 'onsen',
      rank: 2,
      score: results[1]!.score,
      score_type: 'relevance',
      match: 'strong',
      category: 'Travel',
      image_url: '/items/onsen/image',
      thumbnail_url: null,
      likely_source: 'TikTok',
    });
    expect(searcher.calls).toEqual([
      { userId: 'alice', request: { query: 'ramen and onsen', search_type: 'hybrid', top_k: 3, include_answer: false } },
    ]);
  });

  it('passes its search type, category and similarity bar, and clamps top_k', async () => {
    const searcher = new FakeSearcher(results);
    const retriever = new CollectionsRetriever({
      searcher,
      userId: 'bob',
      searchType: 'bm25',
      topK: 500,
      categoryFilter: 'Food',
      minSimilarityScore: 0.4,
    });
    await retriever.invoke('ramen');
    expect(searcher.calls[0]).toEqual({
      userId: 'bob',
      request: {
        query: 'ramen',
        search_type: 'bm25',
        top_k: 50,
        category_filter: 'Food',
        min_similarity_score: 0.4,
        include_answer: false,
      },
    });
  });

  it('refuses agentic search and a missing user', () => {
    const searcher = new FakeSearcher();
    expect(() => new CollectionsRetriever({ searcher, userId: 'a', searchType: 'agentic' as never })).toThrow(/agentic/);
    expect(() => new CollectionsRetriever({ searcher, userId: '' })).toThrow(/userId/);
  });

  it('works as a step of a chain', async () => {
    const retriever = new CollectionsRetriever({ searcher: new FakeSearcher(results), userId: 'alice' });
    const chain = retriever.pipe(
      RunnableLambda.from((docs: Document[]) => docs.map((d) => `#${d.metadata.rank} ${d.metadata.headline}`).join('\n')),
    );
    expect(await chain.invoke('anything')).toBe(
      '#1 Ichiran Ramen in Fukuoka\n#2 Kurokawa Onsen hot spring village\n#3 Cursor: an AI code editor',
    );
  });

  it('resultToDocument keeps the result’s fields as metadata', () => {
    const doc = resultToDocument(results[0]!);
    expect(doc.metadata).toMatchObject({ item_id: 'ramen', headline: 'Ichiran Ramen in Fukuoka', original_filename: 'ramen.png' });
  });
});
