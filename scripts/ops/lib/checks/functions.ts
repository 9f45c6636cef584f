/** Checks of the Lambda functions: deployed, configured for this environment, and invocable. */
import { LAMBDA_FUNCTIONS, type LambdaName } from '../../../../src/contracts/aws.js';
import { clientConfig } from '../aws.js';
import { loadSdk } from '../sdk.js';
import { functionNameOf } from '../stack.js';
import { fail, httpApiEvent, invoke, isOutcome, optionalSdk, pass, skip, type CheckState, type InfraCheck } from './shared.js';

export const functionsCheck: InfraCheck = {
  id: 'functions',
  title: 'Lambda functions deployed and active',
  async run(state) {
    const sdk = await optionalSdk(() => loadSdk('lambda'));
    if (isOutcome(sdk)) return sdk;
    const client = new sdk.LambdaClient(clientConfig({ ...state.ctx, region: state.region }));
    const notes: string[] = [];
    const problems: string[] = [];
    try {
      for (const name of Object.keys(LAMBDA_FUNCTIONS) as LambdaName[]) {
        const fn = functionNameOf(state.outputs, name);
        if (!fn) {
          problems.push(`${name}: no function name in the outputs`);
          continue;
        }
        const c = (await client.send(new sdk.GetFunctionConfigurationCommand({ FunctionName: fn }))) as {
          FunctionName?: string;
          FunctionArn?: string;
          State?: string;
          LastUpdateStatus?: string;
          Runtime?: string;
          Architectures?: string[];
          MemorySize?: number;
          Timeout?: number;
          CodeSize?: number;
          Environment?: { Variables?: Record<string, string> };
        };
        state.functions.set(name, { name: c.FunctionName ?? fn, arn: c.FunctionArn ?? fn, env: c.Environment?.Variables ?? {} });
        notes.push(
          `${name}: ${c.FunctionName} ${c.Runtime} ${c.Architectures?.join(',')} ${c.MemorySize} MB ${c.Timeout} s, code ${((c.CodeSize ?? 0) / 1e6).toFixed(2)} MB, ${c.State}/${c.LastUpdateStatus}`,
        );
        if (c.State !== 'Active' || (c.LastUpdateStatus && c.LastUpdateStatus !== 'Successful'))
          problems.push(`${name}: ${c.State}/${c.LastUpdateStatus}`);
        const env = c.Environment?.Variables?.COLLECTIONS_ENV;
        if (env !== state.ctx.env) problems.push(`${name}: COLLECTIONS_ENV=${env ?? '(unset)'}`);
      }
    } finally {
      client.destroy();
    }
    return problems.length ? fail(problems.join('; '), notes) : pass(`${state.functions.size} functions Active`, notes);
  },
};

export const lambdaInvokeCheck: InfraCheck = {
  id: 'lambda-invoke',
  title: 'Lambda invoke (api function, GET /health)',
  async run(state) {
    const api = state.functions.get('api')?.name ?? functionNameOf(state.outputs, 'api');
    if (!api) return skip('no api function name in the outputs');
    const sdk = await optionalSdk(() => loadSdk('lambda'));
    if (isOutcome(sdk)) return sdk;
    const t0 = Date.now();
    const { response, body } = await invoke(state, api, httpApiEvent('GET', '/health'));
    const ms = Date.now() - t0;
    if (response.FunctionError) return fail(`${response.FunctionError}: ${JSON.stringify(body).slice(0, 300)}`);
    const res = body as { statusCode?: number; body?: string };
    if (res?.statusCode !== 200) return fail(`GET /health answered ${res?.statusCode}: ${String(res?.body).slice(0, 300)}`);
    state.healthBody = JSON.parse(res.body ?? '{}') as CheckState['healthBody'];
    return pass(`200 in ${ms} ms (includes a cold start when the function was idle)`, [`health: ${res.body}`]);
  },
};
