import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { generatePassword } from './password.js';

/**
 * A throw-away Cognito user for live checks: created with a random permanent password, signed
 * in with the app client's password flow, deleted afterwards. Its email is on example.com
 * (reserved: nothing is ever delivered) and Cognito is told to send no message.
 */
export interface TestUser {
  username: string;
  sub: string;
  idToken: string;
  accessToken: string;
  /** The sign-in flow the app client allowed. */
  flow: 'ADMIN_USER_PASSWORD_AUTH' | 'USER_PASSWORD_AUTH';
}

/** The password flow the app client allows (a script cannot do SRP). */
export async function passwordFlow(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  clientId: string,
): Promise<TestUser['flow']> {
  const client = await cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: clientId }));
  const flows = client.UserPoolClient?.ExplicitAuthFlows ?? [];
  if (client.UserPoolClient?.ClientSecret) throw new Error(`app client ${clientId} has a secret: use a public (browser) client`);
  // The ALLOW_ names, and the legacy ones clients created long ago may still carry.
  if (flows.includes('ALLOW_ADMIN_USER_PASSWORD_AUTH') || flows.includes('ADMIN_NO_SRP_AUTH')) return 'ADMIN_USER_PASSWORD_AUTH';
  if (flows.includes('ALLOW_USER_PASSWORD_AUTH') || flows.includes('USER_PASSWORD_AUTH')) return 'USER_PASSWORD_AUTH';
  throw new Error(
    `app client ${clientId} allows neither ALLOW_ADMIN_USER_PASSWORD_AUTH nor ALLOW_USER_PASSWORD_AUTH (it has ${flows.join(', ') || 'none'}); a script cannot sign in`,
  );
}

/** Signs a user in with a password; returns the id and access tokens. */
export async function signIn(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  clientId: string,
  flow: TestUser['flow'],
  username: string,
  password: string,
): Promise<{ idToken: string; accessToken: string }> {
  const auth =
    flow === 'ADMIN_USER_PASSWORD_AUTH'
      ? await cognito.send(
          new AdminInitiateAuthCommand({
            UserPoolId: userPoolId,
            ClientId: clientId,
            AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
            AuthParameters: { USERNAME: username, PASSWORD: password },
          }),
        )
      : await cognito.send(
          new InitiateAuthCommand({
            ClientId: clientId,
            AuthFlow: 'USER_PASSWORD_AUTH',
            AuthParameters: { USERNAME: username, PASSWORD: password },
          }),
        );
  const tokens = auth.AuthenticationResult;
  if (!tokens?.IdToken || !tokens.AccessToken) {
    throw new Error(
      auth.ChallengeName === 'NEW_PASSWORD_REQUIRED'
        ? 'the user still has a temporary password: sign in once in the web app and set a new one'
        : `sign-in returned ${auth.ChallengeName ? `the challenge ${auth.ChallengeName}` : 'no tokens'} instead of tokens`,
    );
  }
  return { idToken: tokens.IdToken, accessToken: tokens.AccessToken };
}

export async function createTestUser(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  clientId: string,
  label = 'collections-infra-test',
): Promise<TestUser> {
  const flow = await passwordFlow(cognito, userPoolId, clientId);
  const username = `${label}+${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const password = generatePassword(24);
  const created = await cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: userPoolId,
      Username: username,
      MessageAction: 'SUPPRESS',
      TemporaryPassword: generatePassword(24),
      UserAttributes: [
        { Name: 'email', Value: username },
        { Name: 'email_verified', Value: 'true' },
      ],
    }),
  );
  const cognitoUsername = created.User?.Username ?? username;
  try {
    await cognito.send(
      new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: cognitoUsername, Password: password, Permanent: true }),
    );
    const tokens = await signIn(cognito, userPoolId, clientId, flow, username, password);
    const sub = created.User?.Attributes?.find((a) => a.Name === 'sub')?.Value ?? '';
    return { username: cognitoUsername, sub, ...tokens, flow };
  } catch (err) {
    await deleteTestUser(cognito, userPoolId, cognitoUsername).catch(() => undefined);
    throw err;
  }
}

export async function deleteTestUser(cognito: CognitoIdentityProviderClient, userPoolId: string, username: string) {
  await cognito.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: username }));
}
