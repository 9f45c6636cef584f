import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { CHAT_TURN_TIMEOUT_MS } from '../../src/contracts/aws.js';
import type { AppFunction } from './functions.js';

/**
 * The chat-stream function's URL: POST /chat/stream outside API Gateway, whose HTTP API cuts
 * every request at 30 s and buffers the whole response. A function URL in RESPONSE_STREAM mode
 * passes each Server-Sent Event on as the handler writes it (src/lambda/handlers/chat-stream.ts), and a
 * turn may run as long as the function (120 s; the turn itself stops at 90 s).
 *
 * The function itself, with its grants, is one of Compute's (compute.ts): it shares the api's
 * environment, monitoring covers it with the others, and its permissions are written out next
 * to theirs. This construct adds what is particular to it:
 * - Auth type NONE. The app verifies the Cognito JWT on every request itself (AUTH_MODE=jwt,
 *   aws-jwt-verify against the user pool), exactly as the api function does behind API
 *   Gateway's authorizer, and answers 401 before any model call; AWS_IAM would need SigV4-signed
 *   requests, which a browser signed in with Cognito user pools cannot make.
 * - CORS: POST from the environment's web origins only (the CloudFront app and the configured
 *   development origins), answered by the Lambda service itself, preflight included.
 * - Throttling: the function's reserved concurrency (cdk.context.json) bounds it, as API
 *   Gateway's stage throttling bounds the api.
 *
 * Cost: no charge for the URL; streamed bytes beyond the first 6 MB of a response are $0.008/GB
 * (a chat turn is a few kB).
 */
export interface ChatStreamProps {
  readonly fn: AppFunction;
  /** Origins the browser may call the URL from: the environment's corsOrigins plus the CloudFront origin. */
  readonly corsOrigins: readonly string[];
}

/** The headers the web app sends with POST /chat/stream. */
export const CHAT_STREAM_ALLOWED_HEADERS = ['authorization', 'content-type', 'accept'];

export class ChatStream extends Construct {
  readonly url: lambda.FunctionUrl;

  constructor(scope: Construct, id: string, props: ChatStreamProps) {
    super(scope, id);
    const { fn, corsOrigins } = props;
    // A turn must end (with its own `error` event) before Lambda stops the function mid-stream.
    const timeoutMs = fn.function.timeout?.toMilliseconds() ?? 3000;
    if (timeoutMs < CHAT_TURN_TIMEOUT_MS['chat-stream'] + 10_000) {
      throw new Error(
        `chat-stream: timeoutSeconds ${timeoutMs / 1000} leaves no room after a ${CHAT_TURN_TIMEOUT_MS['chat-stream'] / 1000} s chat turn`,
      );
    }
    this.url = new lambda.FunctionUrl(this, 'Url', {
      function: fn.function,
      authType: lambda.FunctionUrlAuthType.NONE,
      invokeMode: lambda.InvokeMode.RESPONSE_STREAM,
      cors: {
        allowedOrigins: [...corsOrigins],
        allowedMethods: [lambda.HttpMethod.POST],
        allowedHeaders: CHAT_STREAM_ALLOWED_HEADERS,
        maxAge: Duration.hours(1),
      },
    });
  }
}
