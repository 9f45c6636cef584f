import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { handle } from 'hono/aws-lambda';
import { EventBridgeEventBus } from '../../adapters/event-bus/index.js';
import { S3ObjectStore } from '../../adapters/object-store/s3.js';
import { createApp } from '../../api/app.js';
import { createServices } from '../../app/services.js';
import { behindHttpApi } from '../runtime/http-api.js';
import { instrument, tracer } from '../runtime/observability.js';
import { buildRuntime, coldStart } from '../runtime/runtime.js';

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
 * The HTTP API behind API Gateway (HTTP API, payload format 2.0): the same Hono app as
 * `npm start`, built once per execution environment.
 *
 * Identity: API Gateway's JWT authorizer checks the Cognito token before the function runs, and
 * the app verifies the same bearer token again (AUTH_MODE=jwt) and takes the caller from its
 * `sub`. The authorizer's claims are not trusted on their own: a route deployed without the
 * authorizer, or the function invoked some other way, still cannot act as anyone.
 */
export const handler = instrument(
  'api',
  async (event: APIGatewayProxyEventV2 | APIGatewayProxyEventV2WithJWTAuthorizer, context): Promise<APIGatewayProxyStructuredResultV2> => {
    const { handle: app } = await runtime();
    return (await app(event as unknown as Parameters<ReturnType<typeof handle>>[0], context)) as APIGatewayProxyStructuredResultV2;
  },
);
