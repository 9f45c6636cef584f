import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from './config.js';
import { acknowledge } from './nag.js';

/**
 * Identity: a Cognito user pool whose users an administrator creates (`ops users-create`); no
 * self sign-up. Email is the user name, passwords are long and mixed, TOTP MFA is optional.
 * One app client without a secret (browser and CLI clients cannot keep one) that allows SRP and
 * USER_PASSWORD_AUTH, and refresh (ALLOW_REFRESH_TOKEN_AUTH, which the CDK always adds). The HTTP
 * API's JWT authorizer checks its tokens (issuer = the pool, audience = this client: the id
 * token's `aud`, the access token's `client_id`); the api function checks them again with
 * aws-jwt-verify (AUTH_MODE=jwt) and reads the user id from `sub`.
 *
 * Why USER_PASSWORD_AUTH is acceptable for the web app (web/src/auth/cognito.ts) and the
 * operations scripts: the password travels once, inside TLS, to Cognito's own endpoint, exactly
 * as it would in the form post of a hosted sign-in page; the client has no secret to protect
 * either way. SRP would keep the password off the wire even to Cognito, but it needs big-integer
 * arithmetic and the SRP handshake in the browser (tens of kB, or a dependency) for protection
 * against an attacker who can already read TLS traffic to AWS. SRP stays allowed for clients that
 * prefer it.
 *
 * OAuth (the hosted UI's code and implicit grants) is switched off: the pool has no domain and
 * the web app signs in through the API above, so the library's default placeholder callback
 * (https://example.com) would only be a redirect target waiting for a domain to be added.
 *
 * Cost: the Essentials plan includes 10,000 monthly active users free; this app has a handful.
 */

export interface AuthProps {
  readonly config: EnvironmentConfig;
}

export class Auth extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;

  constructor(scope: Construct, id: string, props: AuthProps) {
    super(scope, id);
    const { config } = props;

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      deletionProtection: config.retainData,
      removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    acknowledge(this.userPool, [
      ['AwsSolutions-COG2', 'MFA is optional (TOTP) by design: users are created by an administrator and may enrol an authenticator.'],
      ...(['AwsSolutions-COG3', 'AwsSolutions-COG8'] as const).map(
        (id) =>
          [
            id,
            'Threat protection needs the Plus plan ($0.02 per MAU on top); accounts are admin-created and few. Revisit if sign-up opens.',
          ] as const,
      ),
    ]);

    this.client = this.userPool.addClient('Client', {
      generateSecret: false,
      authFlows: { userSrp: true, userPassword: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });
  }

  /** The `iss` of the pool's tokens, which the HTTP API's JWT authorizer trusts. */
  get issuerUrl(): string {
    return `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;
  }
}
