import { z } from 'zod';

/** The same id for the life of the stack: a new one would make CloudFormation "replace" (delete) the schema. */
export const SCHEMA_RESOURCE_ID = 'collections-schema';

/** What a cdk `cr.Provider` passes its onEvent handler (the fields the handler reads). */
export const CustomResourceEventSchema = z.object({
  RequestType: z.enum(['Create', 'Update', 'Delete']),
  PhysicalResourceId: z.string().optional(),
});

export interface MigrateResult {
  PhysicalResourceId: string;
  Data?: { Applied: string; Latest: string };
}
