import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  type AttributeType,
} from '@aws-sdk/client-cognito-identity-provider';
import { awsErrorName, clientConfig, requireCredentials } from '../lib/aws.js';
import { OpsError, line } from '../lib/context.js';
import { readOutputsFile } from '../lib/outputs.js';
import { generatePassword } from '../lib/password.js';
import { opsAction, opsCommand, type CommonOptions, type Runtime } from '../lib/program.js';
import { OUTPUT_KEYS } from '../lib/stack.js';

interface UsersCreateOptions extends CommonOptions {
  email: string;
  printPassword?: boolean;
  userPoolId?: string;
}

/**
 * `ops users-create --email a@b.c`: Cognito AdminCreateUser with the email (verified) as the
 * user name. Cognito emails a temporary password by default; with --print-password the
 * command makes one, prints it once, and Cognito sends nothing. Either way the user sets a new
 * password at the first sign-in. Prints the user's `sub`: the user id the app stores and
 * ADMIN_USER_IDS lists.
 */
export function usersCreateCommand(rt: Runtime, exit: { code: number }) {
  return opsCommand('users-create', 'Create a Cognito user (temporary password emailed, or printed once with --print-password)')
    .requiredOption('--email <address>', 'the user’s email (also their user name)')
    .option('--print-password', 'make the temporary password here and print it once instead of emailing it')
    .option('--user-pool-id <id>', `user pool (default: ${OUTPUT_KEYS.userPoolId} in .aws-outputs-{env}.json)`)
    .action(
      opsAction<UsersCreateOptions>(rt, exit, async (ctx, opts) => {
        const email = opts.email.trim();
        if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new OpsError(`"${email}" is not an email address`);
        const userPoolId = opts.userPoolId ?? (await readOutputsFile(ctx.root, ctx.env)).outputs[OUTPUT_KEYS.userPoolId];
        if (!userPoolId) throw new OpsError(`No ${OUTPUT_KEYS.userPoolId} in .aws-outputs-${ctx.env}.json: pass --user-pool-id.`);
        const { region } = await requireCredentials(ctx);
        const cognito = new CognitoIdentityProviderClient(clientConfig({ ...ctx, region: userPoolId.split('_')[0] ?? region }));
        try {
          const password = opts.printPassword ? generatePassword() : undefined;
          let attributes: AttributeType[] | undefined;
          try {
            const created = await cognito.send(
              new AdminCreateUserCommand({
                UserPoolId: userPoolId,
                Username: email,
                UserAttributes: [
                  { Name: 'email', Value: email },
                  { Name: 'email_verified', Value: 'true' },
                ],
                ...(password
                  ? { TemporaryPassword: password, MessageAction: 'SUPPRESS' as const }
                  : { DesiredDeliveryMediums: ['EMAIL' as const] }),
              }),
            );
            attributes = created.User?.Attributes;
          } catch (err) {
            if (awsErrorName(err) === 'UsernameExistsException') {
              const existing = await cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: email }));
              const sub = existing.UserAttributes?.find((a) => a.Name === 'sub')?.Value;
              line(ctx.io.stderr, `${email} already exists in ${userPoolId} (status ${existing.UserStatus}); nothing changed.`);
              if (sub) line(ctx.io.stdout, `sub: ${sub}`);
              return 1;
            }
            throw err;
          }
          const sub = attributes?.find((a) => a.Name === 'sub')?.Value;
          line(ctx.io.stderr, `Created ${email} in ${userPoolId} (${ctx.env}).`);
          if (sub) line(ctx.io.stdout, `sub: ${sub}`);
          if (password) {
            line(ctx.io.stdout, `temporary password (shown once, changed at first sign-in): ${password}`);
          } else {
            line(ctx.io.stderr, `Cognito emails ${email} a temporary password; it must be changed at the first sign-in.`);
          }
          line(ctx.io.stderr, `To make this user an operator, add the sub to ADMIN_USER_IDS (docs/deploy.md, "Creating users").`);
          return 0;
        } finally {
          cognito.destroy();
        }
      }),
    );
}
