/** Checks of sign-in: the Cognito user pool, and a test user for the checks after it. */
import { CognitoIdentityProviderClient, DescribeUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { jwtClaims } from '../api-client.js';
import { clientConfig } from '../aws.js';
import { OUTPUT_KEYS } from '../stack.js';
import { createTestUser, deleteTestUser } from '../test-user.js';
import { fail, output, pass, skip, type InfraCheck } from './shared.js';

export const cognitoCheck: InfraCheck = {
  id: 'cognito',
  title: 'Cognito user pool and a JWT for a test user',
  async run(state) {
    const poolId = output(state, OUTPUT_KEYS.userPoolId);
    const clientId = output(state, OUTPUT_KEYS.userPoolClientId);
    if (!poolId || !clientId) return skip(`no ${OUTPUT_KEYS.userPoolId} / ${OUTPUT_KEYS.userPoolClientId} output`);
    const cognito = new CognitoIdentityProviderClient(clientConfig({ ...state.ctx, region: poolId.split('_')[0] ?? state.region }));
    const { UserPool: pool } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    const user = await createTestUser(cognito, poolId, clientId);
    state.user = user;
    state.cleanups.push(async () => {
      try {
        await deleteTestUser(cognito, poolId, user.username);
      } finally {
        cognito.destroy();
      }
    });
    const claims = jwtClaims(user.idToken);
    const issuer = `https://cognito-idp.${poolId.split('_')[0]}.amazonaws.com/${poolId}`;
    const problems = [
      ...(claims.iss !== issuer ? [`iss ${String(claims.iss)}`] : []),
      ...(claims.aud !== clientId ? [`aud ${String(claims.aud)}`] : []),
      ...(claims.token_use !== 'id' ? [`token_use ${String(claims.token_use)}`] : []),
    ];
    const detail = `pool ${pool?.Name ?? poolId} (MFA ${pool?.MfaConfiguration ?? '?'}); test user signed in with ${user.flow}`;
    return problems.length
      ? fail(`${detail}; unexpected claims: ${problems.join(', ')}`)
      : pass(detail, [`id token: iss ${issuer}, aud ${clientId}, sub ${user.sub}`]);
  },
};
