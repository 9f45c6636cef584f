import { handle } from 'hono/aws-lambda';
import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createApp } from '../api/app.js';
import { createServices } from '../app/services.js';
import { CHAT_TURN_TIMEOUT_MS } from '../aws/contract.js';
import type { Config } from '../config.js';
import { EventBridgeEventBus } from '../adapters/event-bus/index.js';
import { S3ObjectStore } from '../adapters/object-store/s3.js';
import { buildRuntime, coldStart } from './runtime.js';
import { instrument, tracer } from './observability.js';

type HonoLambda = ReturnType<typeof handle>;

const runtime = coldStart(() =>
  buildRuntime('api', async ({ config, db }) => {
    // The API is the whole app (items, uploads, search, chat, admin): every adapter.
    const services = await createServices(behindHttpApi(config), { db }, { runPipeline: false });
    if (services.bus instanceof EventBridgeEventBus) tracer.captureAWSv3Client(services.bus.client);
    if (services.store instanceof S3ObjectStore) tracer.captureAWSv3Client(services.store.client);
    // No web app here: on AWS it is static files on CloudFront (infra/lib/web-hosting.ts).
    return { services, handle: handle(createApp(services, { web: false })), close: () => services.close() };
  }),
);

/**
 * API Gateway's HTTP API cuts every request at 30 s with a bare 503, so a chat turn here stops
 * at 25 s at most (whatever CHAT_TURN_TIMEOUT_MS says; the stack sets it to that) and answers
 * its own 504 `chat_timeout`, which says where a longer turn can run: the chat-stream function.
 */
export const API_CHAT_TIMEOUT_HINT =
  'requests through the HTTP API may take 30 s; POST /chat/stream on the chat stream URL (chatStreamUrl in app-config.json) has no such limit';

export function behindHttpApi(config: Config): Config {
  const turnTimeoutMs = Math.min(config.chatSessions.turnTimeoutMs, CHAT_TURN_TIMEOUT_MS.api);
  return { ...config, chatSessions: { ...config.chatSessions, turnTimeoutMs, timeoutHint: API_CHAT_TIMEOUT_HINT } };
}

/**
 * The HTTP API behind API Gateway (HTTP API, payload format 2.0): the same Hono app as
 * `npm start`, built once per execution environment.
 *
 * Identity: API Gateway's JWT authorizer checks the Cognito token before the function runs (bad
 * tokens never cost an invocation), and the app verifies the same bearer token again
 * (AUTH_MODE=jwt, COGNITO_USER_POOL_ID/COGNITO_CLIENT_ID) and takes the caller from its `sub`.
 * The authorizer's claims in `requestContext.authorizer.jwt.claims` are not trusted on their
 * own: a route deployed without the authorizer, or the function invoked some other way, still
 * cannot act as anyone, and both homes share one code path.
 */
export const handler = instrument(
  'api',
  async (event: APIGatewayProxyEventV2 | APIGatewayProxyEventV2WithJWTAuthorizer, context): Promise<APIGatewayProxyStructuredResultV2> => {
    const { handle: app } = await runtime();
    return (await app(event as unknown as Parameters<HonoLambda>[0], context)) as APIGatewayProxyStructuredResultV2;
  },
);
