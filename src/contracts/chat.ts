import { z, type zod } from './zod.js';

/** The longest message a turn accepts (a pasted article is fine, a book is not). */
export const MAX_MESSAGE_CHARS = 10_000;

/** Session ids name a conversation in URLs and thread ids: a short, plain token. */
export const SessionIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'session_id: 1–128 letters, digits, ".", "_", ":" or "-"')
  .openapi({ example: 'trip-planning' });

export const ChatRequestSchema = z
  .object({
    message: z
      .string()
      .transform((s) => s.replace(/\u0000/g, '').trim())
      .pipe(z.string().min(1, 'message is empty').max(MAX_MESSAGE_CHARS, `message is longer than ${MAX_MESSAGE_CHARS} characters`))
      .openapi({ example: 'Which ramen places did I save in Fukuoka?' }),
    /** Omitted: a new session with a generated id. */
    session_id: SessionIdSchema.optional(),
    /** Results per collection search (the agent may ask for fewer). */
    top_k: z.number().int().min(1).max(20).default(5),
    category_filter: z.string().trim().min(1).max(100).optional(),
  })
  // One policy on every JSON endpoint: an unknown field is a 400, not silently ignored.
  .strict()
  .openapi('ChatRequest');
export type ChatRequest = zod.infer<typeof ChatRequestSchema>;
export type ChatRequestInput = zod.input<typeof ChatRequestSchema>;

export const ChatMessageSchema = z
  .object({
    role: z.enum(['user', 'assistant', 'tool']),
    content: z.string(),
    timestamp: z.string().nullable(),
    tool_calls: z.array(z.object({ id: z.string().optional(), name: z.string(), args: z.record(z.string(), z.unknown()) })).optional(),
    tool_call_id: z.string().optional(),
    name: z.string().optional(),
  })
  .openapi('ChatMessage');
export type ChatMessage = zod.infer<typeof ChatMessageSchema>;

export const ToolUseSchema = z
  .object({ tool: z.string(), input: z.record(z.string(), z.unknown()), output: z.string() })
  .openapi('ChatToolUse');
export type ChatToolUse = zod.infer<typeof ToolUseSchema>;

const ChatSearchResultSchema = z.object({
  item_id: z.string(),
  rank: z.number().int(),
  score: z.number(),
  category: z.string().nullable(),
  headline: z.string().nullable(),
  summary: z.string().nullable(),
  thumbnail_url: z.string().nullable(),
  image_url: z.string(),
});

export const ChatResponseSchema = z
  .object({
    session_id: z.string(),
    message: z.object({ role: z.literal('assistant'), content: z.string(), timestamp: z.string() }),
    /** The turn's number in the session (1 for the first message). */
    conversation_turn: z.number().int(),
    /** Items the turn's collection searches found, best first. */
    search_results: z.array(ChatSearchResultSchema),
    tools_used: z.array(ToolUseSchema),
    response_time_ms: z.number(),
  })
  .openapi('ChatResponse');
export type ChatResponse = zod.infer<typeof ChatResponseSchema>;

export const ChatSessionSchema = z
  .object({
    session_id: z.string(),
    title: z.string(),
    created_at: z.string(),
    last_activity: z.string(),
    message_count: z.number().int(),
    expires_at: z.string(),
  })
  .openapi('ChatSession');

export const ChatHistorySchema = z.object({ session: ChatSessionSchema, messages: z.array(ChatMessageSchema) }).openapi('ChatHistory');
