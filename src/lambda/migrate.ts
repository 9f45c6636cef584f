import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { z } from 'zod';
import { migrate } from '../adapters/database/migrate.js';
import { ensureAppUser } from '../adapters/database/app-user.js';
import { loadLambdaConfig, openLambdaDatabase } from './environment.js';
import { instrument, logger } from './observability.js';
import { parseEvent } from './events.js';

/** The same id for the life of the stack: a new one would make CloudFormation "replace" (delete) the schema. */
export const SCHEMA_RESOURCE_ID = 'collections-schema';

const CustomResourceEventSchema = z.object({
  RequestType: z.enum(['Create', 'Update', 'Delete']),
  PhysicalResourceId: z.string().optional(),
});

export interface MigrateResult {
  PhysicalResourceId: string;
  Data?: { Applied: string; Latest: string };
}

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
    // Also in migration 0001; first here so a database whose owner may create it (the RDS
    // master user) has it before any migration needs the type.
    await db.query('CREATE EXTENSION IF NOT EXISTS vector');
    const applied = await migrate(db);
    const appUser = config.databaseUser;
    if (appUser) await ensureAppUser(db, appUser);
    const latest = (await db.query<{ version: string }>('SELECT max(version) AS version FROM schema_migrations')).rows[0]?.version ?? '';
    logger.info('migrations applied', { request: request.RequestType, applied, latest, app_user: appUser ?? null });
    return { PhysicalResourceId: id, Data: { Applied: applied.join(','), Latest: latest } };
  } finally {
    await db.close();
  }
});
