import type { Context, StreamifyHandler } from 'aws-lambda';
import type { Hono } from 'hono';
import { streamHandle } from 'hono/aws-lambda';
import { createChatStreamApp } from '../api/app.js';
import { errorBody } from '../api/errors.js';
import { createServices } from '../app/services.js';
import { S3ObjectStore } from '../adapters/object-store/s3.js';
import { errorMessage } from '../domain/errors.js';
import { buildRuntime, coldStart } from './runtime.js';
import { instrument, logger, tracer } from './observability.js';

/**
 * POST /chat/stream through a Lambda function URL in RESPONSE_STREAM mode: each SSE event
 * reaches the browser as the model writes it, and a turn is not bound by API Gateway's 30 s
 * (the api function caps its turns at 25 s for that reason; see src/lambda/api.ts).
 *
 * The URL's auth type is NONE: like the api function, the app verifies the Cognito bearer token
 * itself (AUTH_MODE=jwt) before the route runs, so a request without a valid one is a 401 and
 * never reaches the model. Only this one route is served here (createChatStreamApp).
 */
const runtime = coldStart(() =>
  buildRuntime('chat-stream', async ({ config, db }) => {
    const services = await createServices(config, { db }, { runPipeline: false });
    // The DynamoDB chat store offloads large checkpoints to S3.
    if (services.store instanceof S3ObjectStore) tracer.captureAWSv3Client(services.store.client);
    return { app: createChatStreamApp(services), close: () => services.close() };
  }),
);

/**
 * What streamHandle serves: the app, built at the first request of the execution environment.
 * A build that fails (secret or database unreachable) answers a JSON 503; thrown, it would
 * leave the stream without its status line.
 */
const lazyApp = {
  async fetch(request: Request, env: unknown): Promise<Response> {
    let app: Awaited<ReturnType<typeof runtime>>['app'];
    try {
      ({ app } = await runtime());
    } catch (err) {
      logger.error('chat-stream runtime failed', { error: errorMessage(err) });
      return Response.json(errorBody('service_unavailable', 'Chat is starting up or cannot reach its database; try again shortly.'), { status: 503 });
    }
    return app.fetch(request, env);
  },
};

/**
 * `instrument` goes inside streamifyResponse: the runtime must see the streaming marker on the
 * exported function, and the instrumented part then spans the whole streamed response.
 */
function streamingHandler(lambda: typeof awslambda): StreamifyHandler {
  const serve = streamHandle(lazyApp as unknown as Hono) as unknown as StreamifyHandler<unknown, void>;
  return lambda.streamifyResponse((event: unknown, responseStream, context: Context) =>
    instrument<unknown, void>('chat-stream', (e, ctx) => Promise.resolve(serve(e, responseStream, ctx)))(event, context),
  );
}

// Lambda's Node.js runtime defines `awslambda.streamifyResponse` before it loads this module.
// Elsewhere (a test or bench:lambda importing the bundle) the module still loads, and calling
// the handler says what is missing. (`awslambda` alone proves nothing: @aws/lambda-invoke-store,
// under the AWS SDK, creates an empty one anywhere.)
const lambdaGlobal = (globalThis as { awslambda?: Partial<typeof awslambda> }).awslambda;
export const handler: StreamifyHandler =
  typeof lambdaGlobal?.streamifyResponse === 'function'
    ? streamingHandler(lambdaGlobal as typeof awslambda)
    : async () => {
        throw new Error('chat-stream needs the Lambda Node.js runtime (the awslambda global of response streaming)');
      };
