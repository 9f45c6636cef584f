/**
 * The database connection budget: every function that opens database connections has reserved
 * concurrency, and at its peak (every reserved environment busy, each with a full pool) the
 * functions plus the room kept for everything else must fit in the instance's max_connections.
 * Checked when cdk.context.json is loaded (config.ts), so an over-budget change fails the synth
 * with the sum written out instead of failing in production with "too many clients".
 *
 * Why reserved concurrency and not RDS Proxy: a proxy bills per vCPU of the instance, minimum 2
 * (~$21.90/month: as much as the test database itself), to multiplex hundreds of clients; this
 * app's peak is a few dozen connections, which reserved concurrency bounds for free. Throttled
 * pipeline events are not lost (Lambda's async queue and EventBridge retry them for hours); a
 * throttled api request answers 5xx to that one request. See docs/deploy.md.
 */

/** Room in max_connections that the functions must leave, and for whom. */
export const CONNECTION_HEADROOM = {
  /** Postgres superuser_reserved_connections (3) + RDS rds.rds_superuser_reserved_connections (2). */
  reservedForSuperusers: 5,
  /** The Secrets Manager rotation function (single-user rotation logs in with the old and the new password). */
  rotation: 2,
  /** Operators: psql, `db-seed-golden --via importer` (a pool of 10), a console query. */
  operators: 10,
} as const;
export const HEADROOM_TOTAL = Object.values(CONNECTION_HEADROOM).reduce((a, b) => a + b, 0);

/** Nominal memory (GiB) of a size in the burstable and general-purpose families (t3, t4g, m5, m6g, m7g…). */
const SIZE_GIB: Record<string, number> = {
  micro: 1,
  small: 2,
  medium: 4,
  large: 8,
  xlarge: 16,
  '2xlarge': 32,
  '4xlarge': 64,
  '8xlarge': 128,
};
/** RDS's memory reserve: DBInstanceClassMemory is about this much below the nominal memory. */
const RESERVED_MIB = 256;

/**
 * An estimate of RDS's default max_connections for an instance class (without the `db.`
 * prefix): LEAST(DBInstanceClassMemory/9531392, 5000), with DBInstanceClassMemory taken as the
 * nominal memory less ~256 MiB (t4g.micro → 84, t4g.small → 197; RDS reports ~81 and ~190).
 * Memory-optimised families (r…, x…) have twice the memory per size or more: counted as twice,
 * which errs low. Undefined for a size not in the table.
 */
export function defaultMaxConnections(instanceType: string): number | undefined {
  const [family = '', size = ''] = instanceType.split('.');
  const gib = SIZE_GIB[size];
  if (gib === undefined) return undefined;
  const memoryGiB = /^[rx]/.test(family) ? gib * 2 : gib;
  const bytes = (memoryGiB * 1024 - RESERVED_MIB) * 1024 * 1024;
  return Math.min(Math.floor(bytes / 9_531_392), 5000);
}

export interface BudgetSettings {
  database: { instanceType: string; maxConnections: number };
  functions: Record<string, { reservedConcurrency: number }>;
}

/** The peak connections of the functions and the headroom, per part (for the error message and docs). */
export function connectionBudget(settings: BudgetSettings, poolSize: number) {
  const functions = Object.entries(settings.functions).map(([name, f]) => ({
    name,
    reservedConcurrency: f.reservedConcurrency,
    connections: f.reservedConcurrency * poolSize,
  }));
  const total = functions.reduce((sum, f) => sum + f.connections, 0) + HEADROOM_TOTAL;
  return { functions, headroom: HEADROOM_TOTAL, total, maxConnections: settings.database.maxConnections };
}

/** Throws when max_connections is above the class's default or the peak does not fit in it. */
export function checkConnectionBudget(env: string, settings: BudgetSettings, poolSize: number): void {
  const { instanceType, maxConnections } = settings.database;
  const ceiling = defaultMaxConnections(instanceType);
  if (ceiling === undefined) {
    throw new Error(
      `${env}: no memory size known for database.instanceType ${instanceType}; add its size to SIZE_GIB in infra/lib/connection-budget.ts`,
    );
  }
  if (maxConnections > ceiling) {
    throw new Error(
      `${env}: database.maxConnections ${maxConnections} is above what ${instanceType} supports by default (~${ceiling}: ` +
        `LEAST(DBInstanceClassMemory/9531392, 5000)); each connection takes memory, so lower it or choose a larger class`,
    );
  }
  const budget = connectionBudget(settings, poolSize);
  if (budget.total > maxConnections) {
    const parts = budget.functions.map((f) => `${f.name} ${f.reservedConcurrency}×${poolSize}`).join(' + ');
    throw new Error(
      `${env}: the functions could open more database connections than database.maxConnections allows: ` +
        `${parts} + ${budget.headroom} headroom (superuser slots, rotation, operators) = ${budget.total} > ${maxConnections}. ` +
        `Lower functions.*.reservedConcurrency or raise database.maxConnections (see docs/deploy.md, "Connections and concurrency")`,
    );
  }
}
