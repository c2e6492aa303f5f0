import { MigrationInterface, QueryRunner } from 'typeorm';

/** The schema this migration runs in: the DataSource's (`audit`, or a fresh one per test run). */
function schemaOf(q: QueryRunner): string {
  const schema = (q.connection.options as { schema?: string }).schema ?? 'audit';
  if (!/^[a-z_][a-z0-9_]{0,50}$/.test(schema)) throw new Error(`invalid schema name "${schema}"`);
  return `"${schema}"`;
}

/** The append-only audit log: one row per event, unique by event id (consumers see events at least once). */
export class AuditSchema1764400000000 implements MigrationInterface {
  name = 'AuditSchema1764400000000';

  async up(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await q.query(`CREATE TABLE ${s}.entries (
      id bigserial PRIMARY KEY,
      event_id uuid NOT NULL,
      topic text NOT NULL,
      type text NOT NULL,
      aggregate_type text NOT NULL,
      aggregate_id text NOT NULL,
      version int NOT NULL,
      actor jsonb NOT NULL,
      occurred_at timestamptz NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now(),
      payload jsonb NOT NULL,
      CONSTRAINT entries_event_id_key UNIQUE (event_id)
    )`);
    await q.query(`CREATE INDEX entries_aggregate_idx ON ${s}.entries (aggregate_id, id)`);
    await q.query(`CREATE INDEX entries_type_idx ON ${s}.entries (type, id)`);
    await q.query(
      `CREATE INDEX entries_actor_token_idx ON ${s}.entries ((actor->>'tokenId'), id) WHERE actor->>'tokenId' IS NOT NULL`,
    );
    // append-only: rows are never changed or removed (the hash chain of a later issue relies on it)
    await q.query(`CREATE FUNCTION ${s}.entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit entries are append-only'; END $$`);
    await q.query(`CREATE TRIGGER entries_append_only BEFORE UPDATE OR DELETE ON ${s}.entries
      FOR EACH ROW EXECUTE FUNCTION ${s}.entries_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA ${schemaOf(q)} CASCADE`);
  }
}
