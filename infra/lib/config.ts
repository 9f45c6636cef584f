import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { z } from 'zod';
import { ENVIRONMENTS, LAMBDA_FUNCTIONS, LAMBDA_POOL_SIZE, type DeploymentEnv, type LambdaName } from '../../src/contracts/aws.js';
import { checkConnectionBudget } from './connection-budget.js';

/**
 * The per-environment settings of the CDK app, read from the `environments` key of
 * cdk.context.json (the CDK CLI passes that file to the app as context). Everything that differs
 * between dev, test and prod lives there; the stack code holds no `if (env === 'prod')`.
 *
 * The environment is chosen with `--context env=dev|test|prod`, else `CDK_ENV`, else dev.
 * Account and region come from the CLI (CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION, i.e. the
 * profile in use) unless pinned in the file. `--context alarmEmail=ops@example.com` overrides
 * the alarm address without editing the file.
 */

const FUNCTION_NAMES = Object.keys(LAMBDA_FUNCTIONS) as [LambdaName, ...LambdaName[]];

const FunctionSettings = z.strictObject({
  memoryMb: z.number().int().min(128).max(10_240),
  timeoutSeconds: z.number().int().min(1).max(900),
  /**
   * Reserved concurrency: the most execution environments of the function at once, each with a
   * pool of LAMBDA_POOL_SIZE database connections. Every function of the contract connects to
   * the database, so every one needs it; their sum is checked against `database.maxConnections`
   * (connection-budget.ts). It is also reserved out of the account's concurrency quota.
   */
  reservedConcurrency: z.number().int().min(1),
});

const EnvironmentSchema = z.strictObject({
  /** Pins the stack to an account/region; otherwise the CLI's are used (or none: env-agnostic). */
  account: z
    .string()
    .regex(/^\d{12}$/)
    .optional(),
  region: z.string().min(1).optional(),
  /** Two AZs to use; by default the region's first two (Fn::GetAZs, no lookup: synth stays offline). */
  availabilityZones: z.array(z.string()).length(2).optional(),
  database: z.strictObject({
    instanceType: z.string().regex(/^[a-z0-9]+\.[a-z0-9]+$/),
    allocatedStorageGiB: z.number().int().min(20),
    /** Storage autoscaling ceiling (RDS grows the volume up to this when it runs low). */
    maxAllocatedStorageGiB: z.number().int(),
    multiAz: z.boolean(),
    deletionProtection: z.boolean(),
    /** 0 switches automated backups off. */
    backupRetentionDays: z.number().int().min(0).max(35),
    /**
     * Postgres max_connections, set in the instance's parameter group (a static parameter:
     * applied at creation, else at the next reboot). At most RDS's default for the class,
     * LEAST(DBInstanceClassMemory/9531392, 5000) (checked in connection-budget.ts); the
     * functions' reserved concurrency must fit in it.
     */
    maxConnections: z.number().int().min(20).max(5000),
  }),
  /** Internet egress of the functions that call AI APIs (see database.ts for the cost trade-off). */
  nat: z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('instance'), instanceType: z.string(), count: z.number().int().min(1).max(2) }),
    z.strictObject({ type: z.literal('gateway'), count: z.number().int().min(1).max(2) }),
  ]),
  /**
   * Production-grade data protection: RETAIN on the bucket, chat table and user pool, a final
   * snapshot of the database, bucket versioning, DynamoDB point-in-time recovery.
   */
  retainData: z.boolean(),
  /** CloudWatch Logs retention of every log group (functions, API access, VPC flow logs). */
  logRetentionDays: z
    .number()
    .int()
    .refine((days) => Object.values(RetentionDays).includes(days), 'a retention CloudWatch Logs offers (1, 3, 5, 7, 14, 30, 60, 90, …)'),
  functions: z.strictObject(
    Object.fromEntries(FUNCTION_NAMES.map((name) => [name, FunctionSettings])) as Record<LambdaName, typeof FunctionSettings>,
  ),
  /** Browser origins allowed by the HTTP API and the bucket (presigned uploads) CORS rules. */
  corsOrigins: z.array(z.string().regex(/^https?:\/\/[^/]+$/, 'an origin: scheme://host[:port], no path')).min(1),
  /** CloudWatch alarms and their SNS topic. */
  alarms: z.boolean(),
  /**
   * Email subscribed to the alarm topic. null is allowed so that synth works on a fresh clone,
   * but then the synth warns and `npm run ops -- deploy` refuses (alarmSubscriberProblem).
   */
  alarmEmail: z.email().nullable(),
  /**
   * Grants bedrock:InvokeModel to the api (chat) / analyzer (vision). Set it when the
   * CHAT_PROVIDER / VISION_PROVIDER parameter under the environment's Parameter Store prefix is
   * `bedrock`; the providers themselves are chosen at run time, not here.
   */
  bedrock: z.strictObject({ chat: z.boolean(), vision: z.boolean() }),
  /** HTTP API stage throttling (requests per second, burst): a ceiling on runaway cost. */
  apiThrottle: z.strictObject({ rateLimit: z.number().positive(), burstLimit: z.number().int().positive() }),
});

export type EnvironmentSettings = z.infer<typeof EnvironmentSchema>;
export type FunctionSettings = z.infer<typeof FunctionSettings>;

export interface EnvironmentConfig extends EnvironmentSettings {
  readonly name: DeploymentEnv;
}

/** Context keys the app reads (besides the CDK's own). */
export const CONTEXT_KEYS = {
  environments: 'environments',
  env: 'env',
  alarmEmail: 'alarmEmail',
  /** `inline`: placeholder code instead of esbuild bundles (tests, quick synth checks; never deploy it). */
  bundling: 'collections:bundling',
} as const;

export interface ContextReader {
  tryGetContext(key: string): unknown;
}

/** The environment name from `--context env=…`, else `CDK_ENV`, else dev. */
export function selectEnvironment(context: ContextReader, processEnv: NodeJS.ProcessEnv = process.env): DeploymentEnv {
  const chosen = context.tryGetContext(CONTEXT_KEYS.env) ?? processEnv.CDK_ENV ?? 'dev';
  if (typeof chosen !== 'string' || !(ENVIRONMENTS as readonly string[]).includes(chosen)) {
    throw new Error(`Unknown environment ${JSON.stringify(chosen)}: use --context env=${ENVIRONMENTS.join('|')} (or CDK_ENV)`);
  }
  return chosen as DeploymentEnv;
}

/** The chosen environment's settings, validated, with context overrides applied. */
export function loadEnvironmentConfig(context: ContextReader, processEnv: NodeJS.ProcessEnv = process.env): EnvironmentConfig {
  const name = selectEnvironment(context, processEnv);
  const all = context.tryGetContext(CONTEXT_KEYS.environments);
  if (!all || typeof all !== 'object') {
    throw new Error('No "environments" in the CDK context: run the CLI in infra/ (cdk.context.json holds them)');
  }
  const raw = (all as Record<string, unknown>)[name];
  if (!raw) throw new Error(`cdk.context.json has no settings for environment "${name}"`);
  const parsed = EnvironmentSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid settings for environment "${name}" in cdk.context.json:\n${issues}`);
  }
  const settings = parsed.data;
  const email = context.tryGetContext(CONTEXT_KEYS.alarmEmail);
  if (email !== undefined) {
    const checked = z.email().safeParse(email);
    if (!checked.success) throw new Error(`--context alarmEmail=${String(email)} is not an email address`);
    settings.alarmEmail = checked.data;
  }
  if (settings.database.maxAllocatedStorageGiB < settings.database.allocatedStorageGiB) {
    throw new Error(`${name}: database.maxAllocatedStorageGiB must be at least allocatedStorageGiB`);
  }
  checkConnectionBudget(name, settings, LAMBDA_POOL_SIZE);
  return { name, ...settings };
}

/**
 * Why this environment must not be deployed as configured, or undefined: alarms without a
 * subscriber notify nobody. The synth only warns (every environment must synthesize on a fresh
 * clone); the operations deploy command calls this and refuses to deploy.
 */
export function alarmSubscriberProblem(config: Pick<EnvironmentConfig, 'name' | 'alarms' | 'alarmEmail'>): string | undefined {
  if (!config.alarms || config.alarmEmail) return undefined;
  return (
    `${config.name} has alarms but nobody receives them: set "alarmEmail" for ${config.name} in infra/cdk.context.json ` +
    `or pass --context alarmEmail=you@example.com (then confirm the subscription email AWS sends)`
  );
}

/** The stack's account/region: pinned in the settings, else the CLI's, else env-agnostic. */
export function stackEnvironment(config: EnvironmentConfig, processEnv: NodeJS.ProcessEnv = process.env) {
  return {
    account: config.account ?? processEnv.CDK_DEFAULT_ACCOUNT,
    region: config.region ?? processEnv.CDK_DEFAULT_REGION,
  };
}
