import { randomUUID } from 'node:crypto';

/**
 * The migrate function is the onEvent handler of the stack's migration custom resource
 * (src/lambda/handlers/migrate.ts, cdk `cr.Provider`): every deployment runs it with Create/Update.
 * Invoking it directly with an Update event does the same thing on demand: it enables pgvector
 * (`CREATE EXTENSION IF NOT EXISTS vector`) and applies the migrations not yet applied, each
 * once, under an advisory lock, so a run alongside a deployment is safe. (Delete does nothing.)
 */
export const SCHEMA_RESOURCE_ID = 'collections-schema';

export function migrateUpdateEvent(env: string) {
  return {
    RequestType: 'Update',
    PhysicalResourceId: SCHEMA_RESOURCE_ID,
    LogicalResourceId: 'OpsDbMigrate',
    RequestId: randomUUID(),
    ResourceType: 'Custom::CollectionsSchema',
    ResourceProperties: { invokedBy: `ops db-migrate (${env})` },
    OldResourceProperties: {},
  };
}

export interface MigrateAnswer {
  PhysicalResourceId?: string;
  /** Applied: the migrations run by this call (comma-separated); Latest: the newest applied. */
  Data?: { Applied?: string; Latest?: string };
}

export function describeMigrateAnswer(answer: MigrateAnswer): string {
  const applied = answer.Data?.Applied ? answer.Data.Applied.split(',').filter(Boolean) : [];
  const latest = answer.Data?.Latest || '(none)';
  return applied.length
    ? `applied ${applied.length} migration(s): ${applied.join(', ')}; schema at ${latest}`
    : `nothing to apply; schema at ${latest}`;
}
