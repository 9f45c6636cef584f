import { RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { Auth } from './auth.js';
import type { EnvironmentConfig } from './config.js';
import type { AppFunction } from './functions.js';
import { acknowledge } from './nag.js';

/**
 * API: an HTTP API (API Gateway v2) in front of the api function. HTTP APIs cost $1.00 per
 * million requests (REST APIs $3.50) and have a native JWT authorizer, which is all this needs.
 *
 * - `$default` (every path and method) → the api function, behind the Cognito JWT authorizer
 *   (issuer = the user pool, audience = the app client; access tokens carry `client_id`,
 *   which API Gateway checks when there is no `aud`). The function verifies the token again.
 * - `GET /health` and `GET /version` are open (load balancers, deploy checks).
 * - CORS from the environment's origins; API Gateway answers preflight requests itself.
 * - The `$default` stage auto-deploys, is throttled (a ceiling on runaway cost) and writes
 *   JSON access logs to a log group with the environment's retention.
 */

export const OPEN_ROUTES = ['GET /health', 'GET /version'] as const;

export interface ApiProps {
  readonly config: EnvironmentConfig;
  readonly auth: Auth;
  readonly handler: AppFunction;
}

export class Api extends Construct {
  readonly httpApi: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly accessLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const { config, auth } = props;
    const integration = new HttpLambdaIntegration('Api', props.handler.function);
    const authorizer = new HttpJwtAuthorizer('Cognito', auth.issuerUrl, {
      jwtAudience: [auth.client.userPoolClientId],
    });

    this.httpApi = new apigw.HttpApi(this, 'HttpApi', {
      apiName: `collections-${config.name}`,
      description: `Collections API (${config.name})`,
      createDefaultStage: false,
      defaultIntegration: integration,
      defaultAuthorizer: authorizer,
      corsPreflight: {
        allowOrigins: config.corsOrigins,
        allowMethods: [apigw.CorsHttpMethod.ANY],
        allowHeaders: ['authorization', 'content-type', 'x-request-id'],
        exposeHeaders: ['x-request-id'],
        allowCredentials: false,
      },
    });

    for (const route of OPEN_ROUTES) {
      const [method, path] = route.split(' ') as [apigw.HttpMethod, string];
      const [created] = this.httpApi.addRoutes({ path, methods: [method], integration, authorizer: new apigw.HttpNoneAuthorizer() });
      acknowledge(created!, [['AwsSolutions-APIG4', `${route} is public by design: liveness and build information, no user data.`]]);
    }

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: config.logRetentionDays as logs.RetentionDays,
      removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: config.apiThrottle,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTimeEpoch',
            routeKey: '$context.routeKey',
            path: '$context.path',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            user: '$context.authorizer.claims.sub',
          }),
        ),
      },
    });
  }

  /** The base URL of the API (ends with a slash). */
  get url(): string {
    return this.stage.url;
  }
}
