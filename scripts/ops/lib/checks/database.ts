/** Checks of RDS Postgres, reached through the functions that use it. */
import { describeMigrateAnswer, migrateUpdateEvent, type MigrateAnswer } from '../migrate-event.js';
import { loadSdk } from '../sdk.js';
import { functionNameOf } from '../stack.js';
import { fail, invoke, isOutcome, optionalSdk, pass, skip, type InfraCheck } from './shared.js';

export const lambdaRdsCheck: InfraCheck = {
  id: 'lambda-rds',
  title: 'Lambda → RDS (the api function queries Postgres)',
  async run(state) {
    if (!state.healthBody) return skip('needs the lambda-invoke check');
    if (state.healthBody.database !== 'postgres')
      return fail(`the api function uses database "${state.healthBody.database}", not postgres`);
    return pass('GET /health ran SELECT 1 on RDS Postgres through the api function');
  },
};

export const rdsPgvectorCheck: InfraCheck = {
  id: 'rds-pgvector',
  title: 'RDS Postgres with pgvector (through the migrate function)',
  async run(state) {
    const fn = state.functions.get('migrate')?.name ?? functionNameOf(state.outputs, 'migrate');
    const sdk = await optionalSdk(() => loadSdk('lambda'));
    if (isOutcome(sdk)) return sdk;
    // What every deployment sends it: CREATE EXTENSION IF NOT EXISTS vector, then pending migrations.
    const { response, body } = await invoke(state, fn, migrateUpdateEvent(state.ctx.env));
    if (response.FunctionError) return fail(`${response.FunctionError}: ${JSON.stringify(body).slice(0, 300)}`);
    const answer = body as MigrateAnswer;
    if (!answer?.Data?.Latest) return fail(`the migrate function answered without a schema version: ${JSON.stringify(body).slice(0, 300)}`);
    return pass(`CREATE EXTENSION IF NOT EXISTS vector succeeded on RDS; ${describeMigrateAnswer(answer)}`, [
      'vector search itself is exercised by e2e-upload (hybrid/bm25 search of the uploaded item)',
    ]);
  },
};
