import type { StreamifyHandler } from 'aws-lambda';
import { S3ObjectStore } from '../../adapters/object-store/s3.js';
import { createChatStreamApp } from '../../api/app.js';
import { createServices } from '../../app/services.js';
import { tracer } from '../runtime/observability.js';
import { streamingHandler } from '../runtime/response-stream.js';
import { buildRuntime, coldStart } from '../runtime/runtime.js';

const runtime = coldStart(() =>
  buildRuntime('chat-stream', async ({ config, db }) => {
    const services = await createServices(config, { db }, { runPipeline: false });
    // The DynamoDB chat store offloads large checkpoints to S3.
    if (services.store instanceof S3ObjectStore) tracer.captureAWSv3Client(services.store.client);
    return { app: createChatStreamApp(services), close: () => services.close() };
  }),
);

/**
 * POST /chat/stream through a Lambda function URL in RESPONSE_STREAM mode: each SSE event
 * reaches the browser as the model writes it, and a turn is not bound by API Gateway's 30 s
 * (the api function caps its turns at 25 s for that reason; see runtime/http-api.ts).
 *
 * The URL's auth type is NONE: like the api function, the app verifies the Cognito bearer token
 * itself (AUTH_MODE=jwt) before the route runs, so a request without a valid one is a 401 and
 * never reaches the model. Only this one route is served here (createChatStreamApp).
 */
export const handler: StreamifyHandler = streamingHandler('chat-stream', async () => (await runtime()).app);
