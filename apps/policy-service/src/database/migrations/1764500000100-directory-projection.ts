import { MigrationInterface, QueryRunner } from 'typeorm';

const schemaOf = (q: QueryRunner): string => (q.connection.options as { schema?: string }).schema ?? 'policy';

/**
 * The directory's read model, written in the same transaction as the user/group events. The partial unique
 * indexes make userName and group displayName unique among live resources (SCIM 409 uniqueness), across replicas.
 */
export class DirectoryProjection1764500000100 implements MigrationInterface {
  name = 'DirectoryProjection1764500000100';

  async up(q: QueryRunner): Promise<void> {
    const s = `"${schemaOf(q)}"`;
    await q.query(`CREATE TABLE IF NOT EXISTS ${s}.directory_users (
      id text PRIMARY KEY,
      name_key text NOT NULL,
      kind text NOT NULL,
      deleted boolean NOT NULL,
      version integer NOT NULL,
      created timestamptz NOT NULL,
      state jsonb NOT NULL)`);
    await q.query(`CREATE UNIQUE INDEX IF NOT EXISTS directory_users_live_name ON ${s}.directory_users (name_key) WHERE NOT deleted`);
    await q.query(`CREATE TABLE IF NOT EXISTS ${s}.directory_groups (
      id text PRIMARY KEY,
      name_key text NOT NULL,
      deleted boolean NOT NULL,
      version integer NOT NULL,
      created timestamptz NOT NULL,
      state jsonb NOT NULL)`);
    await q.query(`CREATE UNIQUE INDEX IF NOT EXISTS directory_groups_live_name ON ${s}.directory_groups (name_key) WHERE NOT deleted`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = `"${schemaOf(q)}"`;
    await q.query(`DROP TABLE IF EXISTS ${s}.directory_groups`);
    await q.query(`DROP TABLE IF EXISTS ${s}.directory_users`);
  }
}
