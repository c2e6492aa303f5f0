const IDENTIFIER = /^[a-z_][a-z0-9_]{0,50}$/;

/** A schema name checked to be a plain lower-case identifier, so it can be put into SQL text. */
export function checkSchemaName(schema: string): string {
  if (!IDENTIFIER.test(schema)) {
    throw new Error(`invalid schema name "${schema}": use lower-case letters, digits and _`);
  }
  return schema;
}

/** The NOTIFY channel an append signals and the outbox relay listens on. */
export function outboxChannel(schema: string): string {
  return `${checkSchemaName(schema)}_outbox`;
}

/** Idempotent DDL for one service's event store and outbox: run from that service's TypeORM migration. */
export function eventStoreSchemaSql(schema: string): string[] {
  const s = `"${checkSchemaName(schema)}"`;
  return [
    `CREATE SCHEMA IF NOT EXISTS ${s}`,
    `CREATE TABLE IF NOT EXISTS ${s}.events (
      global_position bigserial PRIMARY KEY,
      stream_id text NOT NULL,
      aggregate_type text NOT NULL,
      version int NOT NULL CHECK (version >= 1),
      event_id uuid NOT NULL,
      type text NOT NULL,
      occurred_at timestamptz NOT NULL,
      actor jsonb NOT NULL,
      data jsonb NOT NULL,
      CONSTRAINT events_event_id_key UNIQUE (event_id),
      CONSTRAINT events_stream_version_key UNIQUE (stream_id, version)
    )`,
    `CREATE TABLE IF NOT EXISTS ${s}.outbox (
      id bigserial PRIMARY KEY,
      event_id uuid NOT NULL,
      topic text NOT NULL,
      message_key text NOT NULL,
      payload jsonb NOT NULL,
      headers jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      published_at timestamptz NULL,
      attempts int NOT NULL DEFAULT 0
    )`,
    `CREATE INDEX IF NOT EXISTS outbox_unpublished_idx ON ${s}.outbox (id) WHERE published_at IS NULL`,
  ];
}

/** The DDL that undoes eventStoreSchemaSql (a migration's down, and test clean-up). */
export function dropEventStoreSchemaSql(schema: string): string[] {
  return [`DROP SCHEMA IF EXISTS "${checkSchemaName(schema)}" CASCADE`];
}
