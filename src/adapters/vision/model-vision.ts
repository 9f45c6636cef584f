import { randomUUID } from 'node:crypto';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, HumanMessage, SystemMessage, type BaseMessage } from '@langchain/core/messages';
import { RunnableLambda } from '@langchain/core/runnables';
import type { Config } from '../../shared/config.js';
import { ANALYSIS_JSON_SHAPE, AnalysisSchema, type Analysis } from '../../domain/analysis.js';
import { PermanentError } from '../../domain/errors.js';
import type { ImageFacts, VisionInput, VisionProvider, VisionResult } from '../../ports/vision.js';
import { imageForModel } from './model-image.js';
import { providerError } from './provider-errors.js';

/**
 * The part every hosted vision model shares: one prompt, the image as a base64 content block,
 * and a strict reading of the reply. A reply that is not the analysis JSON is sent back to the
 * model with what was wrong; after the last attempt it becomes a PermanentError, because the
 * same image will keep getting the same kind of answer.
 */

export const VISION_SYSTEM_PROMPT = `You analyse screenshots and photos that a person saved to find again later.
Read every piece of text in the image and work out what it is, where it comes from and why it was saved.
Return ONLY a JSON object of this shape, with no prose and no code fences:
${ANALYSIS_JSON_SHAPE}
Use [] or null where nothing applies. Name concrete facts (places, prices, hours, names) rather than generic descriptions.`;

export const DEFAULT_MAX_ATTEMPTS = 3;

/** Settings shared by the hosted providers (Anthropic, OpenAI). */
export interface HostedVisionOptions {
  apiKey: string;
  model?: string;
  /** API base URL; unset means the provider's own (tests point it at a local server). */
  baseUrl?: string;
  timeoutMs: number;
  tracing: Config['tracing'];
  /**
   * SDK-level retries of one HTTP call (default 1). The pipeline already retries failed steps
   * with backoff, so more here would multiply the waits.
   */
  maxRetries?: number;
  /** Model calls per image when replies are not valid analysis JSON (default 3). */
  maxAttempts?: number;
}

/** An analysis JSON with every line of a busy screenshot fits comfortably in this. */
export const VISION_MAX_OUTPUT_TOKENS = 4096;

export interface ModelVisionOptions {
  /** Provider name, recorded with the analysis and named in errors. */
  provider: string;
  model: string;
  chatModel: BaseChatModel;
  tracing: Config['tracing'];
  /** Model calls per image, the first included (default 3: two chances to fix a bad reply). */
  maxAttempts?: number;
}

function factsText(facts: ImageFacts): string {
  const known = [
    `${facts.width}×${facts.height} ${facts.format}`,
    facts.captured_at && `captured ${facts.captured_at}`,
    facts.gps && `GPS ${facts.gps.latitude}, ${facts.gps.longitude}`,
    facts.camera && `camera ${facts.camera}`,
  ].filter(Boolean);
  return `Facts from the image file (reliable): ${known.join('; ')}.`;
}

export type ReplyReading = { ok: true; analysis: Analysis } | { ok: false; problem: 'json' | 'schema'; reason: string };

/** Models wrap JSON in fences or lead in with a sentence; the object itself is what counts. */
export function jsonPart(reply: string): string {
  const fenced = /```(?:json|JSON)?\s*\n?([\s\S]*?)```/.exec(reply);
  const text = (fenced?.[1] ?? reply).trim();
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  return start >= 0 && end > start ? text.slice(start, end + 1) : text;
}

const snippet = (s: string) => JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s);

export function readAnalysisReply(reply: string): ReplyReading {
  let json: unknown;
  try {
    json = JSON.parse(jsonPart(reply));
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { ok: false, problem: 'json', reason: `${why}; reply began ${snippet(reply.trim())}` };
  }
  const parsed = AnalysisSchema.safeParse(json);
  if (parsed.success) return { ok: true, analysis: parsed.data };
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  return { ok: false, problem: 'schema', reason: issues.join('; ') };
}

function correction(reading: Extract<ReplyReading, { ok: false }>): string {
  const what =
    reading.problem === 'json' ? `was not valid JSON (${reading.reason})` : `did not match the required shape (${reading.reason})`;
  return `Your reply ${what}. Reply again with ONLY the JSON object of the shape given, nothing else.`;
}

/** Text of a chat reply, whether the provider returned a string or content blocks. */
function replyText(message: BaseMessage): string {
  if (typeof message.content === 'string') return message.content;
  return message.text;
}

export async function analyzeWithModel(options: ModelVisionOptions, input: VisionInput): Promise<VisionResult> {
  const { provider, model, chatModel } = options;
  const maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
  const image = await imageForModel(input.image);

  const messages: BaseMessage[] = [
    new SystemMessage(VISION_SYSTEM_PROMPT),
    new HumanMessage({
      content: [
        { type: 'text', text: `${factsText(input.facts)}\nAnalyse this image.` },
        // The LangChain standard block: both the Anthropic and OpenAI integrations convert it.
        { type: 'image_url', image_url: { url: `data:${image.mimeType};base64,${image.base64}` } },
      ],
    }),
  ];

  // All attempts run inside one parent run, so with tracing on, one trace id covers the retries.
  const attempts = RunnableLambda.from(async (_: unknown, config) => {
    let last: Extract<ReplyReading, { ok: false }> | undefined;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      let reply: BaseMessage;
      try {
        reply = await chatModel.invoke(messages, config);
      } catch (err) {
        throw providerError(provider, err);
      }
      const text = replyText(reply);
      const reading = readAnalysisReply(text);
      if (reading.ok) return reading.analysis;
      last = reading;
      // Providers reject empty assistant turns, so an empty reply is quoted rather than sent.
      messages.push(new AIMessage(text.trim() === '' ? '(empty reply)' : text));
      messages.push(new HumanMessage(correction(reading)));
    }
    const what = last?.problem === 'json' ? 'was not valid JSON' : 'failed the analysis schema';
    throw new PermanentError(
      `${provider} vision model reply ${what} after ${maxAttempts} attempt${maxAttempts === 1 ? '' : 's'}: ${last?.reason ?? 'no reply'}`,
    );
  }).withConfig({ runName: 'vision-analysis' });

  // LangChain.js traces by itself when LANGSMITH_TRACING and a key are set; naming the run id
  // is what lets the analysis point at its trace.
  const traceId = options.tracing.enabled ? randomUUID() : null;
  const analysis = await attempts.invoke(null, {
    ...(traceId ? { runId: traceId } : {}),
    metadata: { provider, model },
  });
  return { analysis, provider, model, traceId };
}

/** A vision provider over any LangChain chat model that takes images (Anthropic, OpenAI, …). */
export class ChatModelVisionProvider implements VisionProvider {
  constructor(
    readonly provider: string,
    readonly model: string,
    private readonly chat: BaseChatModel,
    private readonly options: Pick<HostedVisionOptions, 'tracing' | 'maxAttempts'>,
  ) {}

  analyze(input: VisionInput): Promise<VisionResult> {
    return analyzeWithModel(
      {
        provider: this.provider,
        model: this.model,
        chatModel: this.chat,
        tracing: this.options.tracing,
        maxAttempts: this.options.maxAttempts,
      },
      input,
    );
  }
}
