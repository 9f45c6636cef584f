import type { Queryable } from '../../ports/database.js';

/** A Postgres role name we are willing to splice into SQL (identifiers cannot be parameters). */
const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Creates (once) the role the AWS functions log in as with IAM database authentication, and
 * gives it what the application needs and nothing more:
 * - LOGIN without a password, member of `rds_iam` (RDS's role that makes the login accept only
 *   IAM tokens); the role exists on every RDS for PostgreSQL instance;
 * - read and write on the schema's tables and sequences, also on those later migrations create
 *   (default privileges of the migrating role, the master user), and no DDL: a leaked token
 *   cannot drop or alter the schema;
 * - schema_migrations stays read-only to it (only the migrate function records migrations);
 * - one exception to "no DDL": search_rows belongs to a NOLOGIN role (SEARCH_ROWS_OWNER) that
 *   both the app user and the master user are members of. Building the HNSW vector index of a
 *   large collection (src/repositories/search/vector-index.ts, CREATE INDEX) needs the table's ownership,
 *   and search rows are derived data that `collections reindex` rebuilds from the analyses.
 *   CREATE INDEX also needs CREATE on the schema, so the app could add a table of its own; it
 *   still cannot alter or drop the items, analyses and chat tables.
 * Idempotent: each statement may run again (GRANT of a held privilege is a no-op), so every
 * deployment re-asserts the same grants. Runs as the master user, after the migrations.
 */
export async function ensureAppUser(db: Queryable, user: string): Promise<void> {
  if (!ROLE_NAME.test(user)) throw new Error(`invalid database user name ${JSON.stringify(user)}: lower-case letters, digits, _`);
  const role = `"${user}"`;
  await db.query(
    `DO $$ BEGIN
       IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${user}') THEN CREATE ROLE ${role} LOGIN; END IF;
     END $$`,
  );
  await db.query(`GRANT rds_iam TO ${role}`);
  await db.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
  await db.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
  await db.query(`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
  await db.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${role}`);
  await db.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${role}`);
  await db.query(`REVOKE INSERT, UPDATE, DELETE ON schema_migrations FROM ${role}`);
  await db.query(
    `DO $$ BEGIN
       IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${SEARCH_ROWS_OWNER}') THEN CREATE ROLE ${SEARCH_ROWS_OWNER} NOLOGIN; END IF;
     END $$`,
  );
  // Foreign-key cascades and the statistics triggers of search_rows run as its owner: it needs
  // the same data privileges as the app (search_terms, search_corpus, items), nothing more.
  // CREATE INDEX also checks CREATE on the table's schema. With it the role could create new
  // tables, but not alter or drop the ones that hold users' data, which is what matters.
  await db.query(`GRANT USAGE, CREATE ON SCHEMA public TO ${SEARCH_ROWS_OWNER}`);
  await db.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${SEARCH_ROWS_OWNER}`);
  await db.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${SEARCH_ROWS_OWNER}`);
  await db.query(`REVOKE INSERT, UPDATE, DELETE ON schema_migrations FROM ${SEARCH_ROWS_OWNER}`);
  // The master user stays able to alter the table in later migrations through its membership.
  await db.query(`GRANT ${SEARCH_ROWS_OWNER} TO CURRENT_USER`);
  await db.query(`ALTER TABLE search_rows OWNER TO ${SEARCH_ROWS_OWNER}`);
  await db.query(`GRANT ${SEARCH_ROWS_OWNER} TO ${role}`);
}

/** Owner of search_rows, shared by the app user (vector index builds) and the master user. */
export const SEARCH_ROWS_OWNER = 'collections_search_owner';
