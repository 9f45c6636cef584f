import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { z } from 'zod';
import { runApiSuite } from '../lib/api-suite.js';
import { clientConfig, detectCredentials, errorText } from '../lib/aws.js';
import { line, type OpsContext } from '../lib/context.js';
import { readOutputsFile } from '../lib/outputs.js';
import { opsAction, opsCommand, type CommonOptions, type Runtime } from '../lib/program.js';
import { STATUS_MARK, summarizeResults } from '../lib/report.js';
import { OUTPUT_KEYS } from '../lib/stack.js';
import { createTestUser, deleteTestUser, type TestUser } from '../lib/test-user.js';

interface TestApiOptions extends CommonOptions {
  readyTimeout?: string;
  url?: string;
}

/** The outputs test-api needs, checked before anything is created. */
const Needed = z.object({
  [OUTPUT_KEYS.apiUrl]: z.string().url(),
  [OUTPUT_KEYS.userPoolId]: z.string().min(1),
  [OUTPUT_KEYS.userPoolClientId]: z.string().min(1),
});

/**
 * `ops test-api`: the API integration suite (lib/api-suite.ts) against the deployed stage's
 * ApiUrl, as two temporary Cognito users (the second proves isolation). The users and their
 * items are deleted at the end, also when a check fails or the suite throws. Like test-infra,
 * without AWS credentials nothing runs and the exit code is 0; a failed check exits 1.
 */
export function testApiCommand(rt: Runtime, exit: { code: number }) {
  return opsCommand('test-api', 'Run the API integration suite against the deployed API as temporary Cognito users')
    .option('--ready-timeout <seconds>', 'how long the uploaded image may take to become ready', '60')
    .option('--url <url>', 'API base URL (default: the ApiUrl output)')
    .action(opsAction<TestApiOptions>(rt, exit, async (ctx, opts) => runTestApi(ctx, opts)));
}

export async function runTestApi(ctx: OpsContext, opts: TestApiOptions): Promise<number> {
  const credentials = await detectCredentials(ctx);
  if (!credentials.ok) {
    line(ctx.io.stderr, `test-api ${ctx.env}: skipped: no AWS credentials (${credentials.reason}).`);
    return 0;
  }
  const outputsFile = await readOutputsFile(ctx.root, ctx.env);
  const parsed = Needed.safeParse({ ...outputsFile.outputs, ...(opts.url && { [OUTPUT_KEYS.apiUrl]: opts.url }) });
  if (!parsed.success) {
    const missing = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
    line(
      ctx.io.stderr,
      `test-api ${ctx.env}: the outputs lack or have invalid ${missing}: run \`npm run ops -- outputs --env ${ctx.env}\`.`,
    );
    return 1;
  }
  const outputs = parsed.data;
  const poolId = outputs[OUTPUT_KEYS.userPoolId];
  const clientId = outputs[OUTPUT_KEYS.userPoolClientId];
  const baseUrl = outputs[OUTPUT_KEYS.apiUrl];
  // A pool id starts with its region (us-east-1_AbC…): the pool's region wins over the default.
  const region = ctx.region ?? outputsFile.region ?? credentials.region ?? poolId.split('_')[0]!;
  const seconds = Number(opts.readyTimeout ?? 60);
  const cognito = new CognitoIdentityProviderClient(clientConfig({ ...ctx, region }));
  const users: TestUser[] = [];
  try {
    try {
      for (let i = 0; i < 2; i++) users.push(await createTestUser(cognito, poolId, clientId, 'collections-api-test'));
    } catch (err) {
      line(ctx.io.stderr, `test-api ${ctx.env}: could not create a temporary Cognito user in ${poolId}: ${errorText(err)}`);
      return 1;
    }
    line(ctx.io.stderr, `test-api ${ctx.env}: ${baseUrl} as ${users.map((u) => u.username).join(' and ')} (temporary)`);
    const results = await runApiSuite({
      baseUrl,
      tokens: { primary: users[0]!.idToken, other: users[1]!.idToken },
      readyTimeoutMs: (Number.isFinite(seconds) && seconds > 0 ? seconds : 60) * 1000,
      onResult: (r) => line(ctx.io.stdout, `  ${STATUS_MARK[r.status]}  ${r.title} (${(r.durationMs / 1000).toFixed(1)} s): ${r.detail}`),
    });
    const s = summarizeResults(results);
    line(ctx.io.stdout, `${s.fail ? 'failed' : 'passed'}: ${s.pass} passed, ${s.fail} failed, ${s.skip} skipped`);
    return s.fail ? 1 : 0;
  } finally {
    // Items were deleted by the suite; the users go now, whatever happened above.
    for (const u of users) {
      await deleteTestUser(cognito, poolId, u.username).catch((err: unknown) =>
        line(ctx.io.stderr, `test-api: could not delete the temporary user ${u.username}: ${errorText(err)} (delete it in the console)`),
      );
    }
    cognito.destroy();
  }
}
