import type { Context, StreamifyHandler } from 'aws-lambda';
import type { Hono } from 'hono';
import { streamHandle } from 'hono/aws-lambda';
import { errorBody } from '../../api/errors.js';
import { errorMessage } from '../../domain/errors.js';
import { instrument, logger } from './observability.js';

/** Anything with Hono's `fetch`: the app, once built. */
type FetchApp = { fetch(request: Request, env: unknown): Response | Promise<Response> };

/**
 * What streamHandle serves: the app, built at the first request of the execution environment.
 * A build that fails (secret or database unreachable) answers a JSON 503; thrown, it would
 * leave the stream without its status line.
 */
function lazyApp(name: string, load: () => Promise<FetchApp>): FetchApp {
  return {
    async fetch(request, env) {
      let app: FetchApp;
      try {
        app = await load();
      } catch (err) {
        logger.error(`${name} runtime failed`, { error: errorMessage(err) });
        return Response.json(errorBody('service_unavailable', 'Chat is starting up or cannot reach its database; try again shortly.'), {
          status: 503,
        });
      }
      return app.fetch(request, env);
    },
  };
}

/**
 * A Lambda handler in RESPONSE_STREAM mode serving `load`'s app: each write reaches the client
 * as it happens. `instrument` goes inside streamifyResponse: the runtime must see the
 * streaming marker on the exported function, and the instrumented part then spans the whole
 * streamed response.
 *
 * Lambda's Node.js runtime defines `awslambda.streamifyResponse` before it loads the handler's
 * module. Elsewhere (a test or bench:lambda importing the bundle) the module still loads, and
 * calling the handler says what is missing. (`awslambda` alone proves nothing:
 * @aws/lambda-invoke-store, under the AWS SDK, creates an empty one anywhere.)
 */
export function streamingHandler(name: string, load: () => Promise<FetchApp>): StreamifyHandler {
  const lambda = (globalThis as { awslambda?: Partial<typeof awslambda> }).awslambda;
  if (typeof lambda?.streamifyResponse !== 'function') {
    return async () => {
      throw new Error(`${name} needs the Lambda Node.js runtime (the awslambda global of response streaming)`);
    };
  }
  const serve = streamHandle(lazyApp(name, load) as unknown as Hono) as unknown as StreamifyHandler<unknown, void>;
  return lambda.streamifyResponse((event: unknown, responseStream, context: Context) =>
    instrument<unknown, void>(name, (e, ctx) => Promise.resolve(serve(e, responseStream, ctx)))(event, context),
  );
}
