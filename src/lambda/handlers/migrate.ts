import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { prepareSchema } from '../../adapters/database/migrate.js';
import { loadLambdaConfig, openLambdaDatabase } from '../runtime/environment.js';
import { instrument, logger } from '../runtime/observability.js';
import { parseEvent } from '../runtime/events.js';
import { CustomResourceEventSchema, SCHEMA_RESOURCE_ID, type MigrateResult } from '../runtime/custom-resource.js';

/**
 * The onEvent handler of the stack's migration custom resource (cdk `cr.Provider`): on Create
 * and Update (every deployment that changes its properties, e.g. a version hash) it enables
 * pgvector and applies the SQL migrations that have not run (each once, under an advisory
 * lock), then creates or re-grants the application's database user (DATABASE_USER, which the
 * other functions log in as with IAM tokens); on Delete it does nothing, since deleting the
 * resource must never drop user data. It connects as the master user (DATABASE_SECRET_ARN, read
 * at every run: the secret rotates every 30 days).
 * Errors propagate: the provider reports them to CloudFormation, which rolls the deployment back.
 */
export const handler = instrument('migrate', async (event: CloudFormationCustomResourceEvent): Promise<MigrateResult> => {
  const request = parseEvent(CustomResourceEventSchema, event, 'a CloudFormation custom resource event');
  const id = request.PhysicalResourceId ?? SCHEMA_RESOURCE_ID;
  if (request.RequestType === 'Delete') return { PhysicalResourceId: id };

  // Runs once per deployment: no cached runtime, no API keys; the pool is closed when done.
  const config = await loadLambdaConfig(process.env, { apiKeys: false });
  const db = openLambdaDatabase(config);
  try {
    const appUser = config.databaseUser;
    const { applied, latest } = await prepareSchema(db, appUser);
    logger.info('migrations applied', { request: request.RequestType, applied, latest, app_user: appUser ?? null });
    return { PhysicalResourceId: id, Data: { Applied: applied.join(','), Latest: latest } };
  } finally {
    await db.close();
  }
});
