import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage, SystemMessage, type BaseMessage } from '@langchain/core/messages';
import type { SearchResult } from '../../contracts/search.js';

/**
 * The answer of `include_answer: true`: a chat model reads the results and writes 2–4
 * sentences that cite them as `[Item n]` (n = the result's rank). The citations returned are
 * the ids of the cited results, parsed from those markers; numbers that name no result are
 * dropped, so a citation always points at an item the caller was shown.
 */

export const ANSWER_SYSTEM_PROMPT = `You answer a person's question about their own collection of saved screenshots and photos.
You are given the items a search found, numbered [Item 1], [Item 2], …, best match first.
Answer in 2 to 4 sentences, using only facts from these items. After each fact, cite the item it comes from as [Item n].
If the items do not answer the question, say so in one sentence. Never invent items, places, prices or hours.`;

/** Said instead of calling the model when the search found nothing. */
export const NO_RESULTS_ANSWER = 'Nothing in your collection matches this question.';

export interface Answer {
  answer: string;
  /** Item ids of the cited results, in the order first cited. */
  citations: string[];
  answer_time_ms: number;
}

export interface AnswerOptions {
  /** Whole-call limit in ms (the model's own HTTP timeout may be longer). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

const MAX_FIELD = 400;
const clip = (s: string, n = MAX_FIELD) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** How one result is shown to the model: its number, category, headline, summary, source. */
export function describeResult(r: SearchResult): string {
  const source = typeof r.metadata.likely_source === 'string' ? r.metadata.likely_source : null;
  const lines = [
    `[Item ${r.rank}]${r.category ? ` (${r.category})` : ''} ${clip(r.headline ?? '(no headline)')}`,
    r.summary ? clip(r.summary) : null,
    source ? `Source: ${clip(source, 100)}` : null,
  ];
  return lines.filter(Boolean).join('\n');
}

export function answerMessages(query: string, results: SearchResult[]): BaseMessage[] {
  return [
    new SystemMessage(ANSWER_SYSTEM_PROMPT),
    new HumanMessage(`Question: ${query}\n\nItems:\n\n${results.map(describeResult).join('\n\n')}`),
  ];
}

/** `[Item 2]`, `[Item 1, 3]`, `[Items 1 and 2]`, `[Item 1][Item 2]`, `[item 4; Item 5]`. */
const MARKER = /\[\s*items?\s*#?\s*(\d+(?:\s*(?:,|;|&|and|or)?\s*(?:items?\s*)?#?\s*\d+)*)\s*\]/gi;

/** The ids of the results the text cites, by rank, first-cited first; unknown ranks ignored. */
export function parseCitations(text: string, results: readonly SearchResult[]): string[] {
  const byRank = new Map(results.map((r) => [r.rank, r.item_id]));
  const cited: string[] = [];
  for (const marker of text.matchAll(MARKER)) {
    for (const n of marker[1]!.match(/\d+/g) ?? []) {
      const id = byRank.get(Number(n));
      if (id && !cited.includes(id)) cited.push(id);
    }
  }
  return cited;
}

/** Text of a chat reply, whether the provider returned a string or content blocks. */
export function messageText(message: BaseMessage): string {
  return (typeof message.content === 'string' ? message.content : message.text).trim();
}

/**
 * Asks the model for an answer over `results` (ranks as shown). No results: no model call, a
 * short fixed answer. Throws what the model throws (the caller turns it into a notice).
 */
export async function generateAnswer(
  chatModel: BaseChatModel,
  query: string,
  results: SearchResult[],
  options: AnswerOptions = {},
): Promise<Answer> {
  const started = performance.now();
  if (results.length === 0) return { answer: NO_RESULTS_ANSWER, citations: [], answer_time_ms: 0 };
  const reply = await chatModel.invoke(answerMessages(query, results), {
    runName: 'search-answer',
    ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const answer = messageText(reply);
  if (!answer) throw new Error('the chat model returned an empty answer');
  return {
    answer,
    citations: parseCitations(answer, results),
    answer_time_ms: Math.round((performance.now() - started) * 100) / 100,
  };
}
