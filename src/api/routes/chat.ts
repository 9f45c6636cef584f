import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { z } from '../../contracts/zod.js';
import { streamSSE } from 'hono/streaming';
import type { Services } from '../../services/services.js';
import type { ChatEvent, ChatService } from '../../services/chat/chat-service.js';
import { ChatHistorySchema, ChatRequestSchema, ChatResponseSchema, ChatSessionSchema, SessionIdSchema } from '../../contracts/chat.js';
import { AppError, errorMessage } from '../../domain/errors.js';
import type { AppEnv } from '../context.js';
import { errorBody } from '../errors.js';
import { errorResponses } from '../schemas.js';

const SessionParamSchema = z.object({
  session_id: SessionIdSchema.openapi({ param: { name: 'session_id', in: 'path' } }),
});

const turnErrors = { ...errorResponses(400, 401, 409, 502, 503, 504) };

const chatRoute = createRoute({
  method: 'post',
  path: '/chat',
  tags: ['chat'],
  summary: 'One turn of a conversation with the assistant over the caller’s collection',
  request: { body: { required: true, content: { 'application/json': { schema: ChatRequestSchema } } } },
  responses: {
    200: { content: { 'application/json': { schema: ChatResponseSchema } }, description: 'The assistant’s reply' },
    ...turnErrors,
  },
});

const streamRoute = createRoute({
  method: 'post',
  path: '/chat/stream',
  tags: ['chat'],
  summary: 'The same turn as Server-Sent Events',
  description:
    'Events: `session` {session_id}, `token` {text}, `tool_call` {id, tool, input}, `tool_result` {id, tool, output}, ' +
    '`message` (the POST /chat response body, last), or `error` {error: {code, message}} if the turn fails after it started.',
  request: { body: { required: true, content: { 'application/json': { schema: ChatRequestSchema } } } },
  responses: {
    200: { content: { 'text/event-stream': { schema: z.string() } }, description: 'Server-Sent Events' },
    ...turnErrors,
  },
});

const sessionsRoute = createRoute({
  method: 'get',
  path: '/chat/sessions',
  tags: ['chat'],
  summary: 'The caller’s unexpired sessions, most recent first',
  responses: {
    200: { content: { 'application/json': { schema: z.object({ sessions: z.array(ChatSessionSchema) }) } }, description: 'Sessions' },
    ...errorResponses(401),
  },
});

const historyRoute = createRoute({
  method: 'get',
  path: '/chat/{session_id}/history',
  tags: ['chat'],
  summary: 'The messages of one of the caller’s sessions',
  request: { params: SessionParamSchema },
  responses: {
    200: { content: { 'application/json': { schema: ChatHistorySchema } }, description: 'The session and its messages' },
    ...errorResponses(400, 401, 404),
  },
});

/** DELETE /chat/{session_id}, and collections-local's path for the same, /chat/sessions/{session_id}. */
const deleteRoute = (path: '/chat/{session_id}' | '/chat/sessions/{session_id}') =>
  createRoute({
    method: 'delete',
    path,
    tags: ['chat'],
    summary:
      path === '/chat/{session_id}'
        ? 'Delete a session with every checkpoint of its conversation'
        : 'The same as DELETE /chat/{session_id} (collections-local compatible)',
    request: { params: SessionParamSchema },
    responses: {
      200: {
        content: { 'application/json': { schema: z.object({ session_id: z.string(), deleted: z.literal(true) }) } },
        description: 'Deleted',
      },
      ...errorResponses(400, 401, 404),
    },
  });

/**
 * Starts a streamed turn and resolves once it has taken its session (or rejects with the
 * error that stopped it first: 400/409/503 answer as JSON, not as a stream).
 */
function startStreamedTurn(chat: ChatService, userId: string, body: unknown) {
  const queue: (ChatEvent | { type: 'error'; error: unknown } | { type: 'end' })[] = [];
  let wake: (() => void) | null = null;
  const push = (e: (typeof queue)[number]) => {
    queue.push(e);
    wake?.();
  };
  let started: () => void = () => {};
  let failedEarly: (err: unknown) => void = () => {};
  const ready = new Promise<void>((res, rej) => {
    started = res;
    failedEarly = rej;
  });
  let began = false;
  chat
    .turn(userId, body as never, (e) => {
      if (!began) {
        began = true;
        started();
      }
      push(e);
    })
    .then(
      () => push({ type: 'end' }),
      (err) => (began ? push({ type: 'error', error: err }) : failedEarly(err)),
    );
  async function* events() {
    for (;;) {
      const next = queue.shift();
      if (next) {
        if (next.type === 'end') return;
        yield next;
        if (next.type === 'error') return;
        continue;
      }
      await new Promise<void>((res) => (wake = res));
      wake = null;
    }
  }
  return { ready, events };
}

export function registerChatRoutes(app: OpenAPIHono<AppEnv>, services: Services) {
  const chat = services.chat; // built on first use (imports LangGraph)

  app.openapi(chatRoute, async (c) => c.json(await (await chat()).turn(c.get('caller').userId, c.req.valid('json')), 200));

  app.openapi(streamRoute, async (c) => {
    const turn = startStreamedTurn(await chat(), c.get('caller').userId, c.req.valid('json'));
    await turn.ready; // errors before the turn starts are thrown: JSON with their status
    return streamSSE(c, async (stream) => {
      for await (const e of turn.events()) {
        if (e.type === 'error') {
          const err = e.error;
          const body = err instanceof AppError ? errorBody(err.code, err.message) : errorBody('internal_error', errorMessage(err));
          await stream.writeSSE({ event: 'error', data: JSON.stringify(body) });
        } else if (e.type === 'message') {
          await stream.writeSSE({ event: 'message', data: JSON.stringify(e.response) });
        } else {
          const { type, ...data } = e;
          await stream.writeSSE({ event: type, data: JSON.stringify(data) });
        }
      }
    }) as never;
  });

  app.openapi(sessionsRoute, async (c) => c.json({ sessions: await (await chat()).sessions(c.get('caller').userId) }, 200));

  app.openapi(historyRoute, async (c) =>
    c.json(await (await chat()).history(c.get('caller').userId, c.req.valid('param').session_id), 200),
  );

  for (const path of ['/chat/{session_id}', '/chat/sessions/{session_id}'] as const) {
    app.openapi(deleteRoute(path), async (c) => {
      const { session_id } = c.req.valid('param');
      await (await chat()).delete(c.get('caller').userId, session_id);
      return c.json({ session_id, deleted: true as const }, 200);
    });
  }
}
