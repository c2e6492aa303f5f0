import { MigrationInterface, QueryRunner } from 'typeorm';

function schemaOf(q: QueryRunner): string {
  const schema = (q.connection.options as { schema?: string }).schema ?? 'audit';
  if (!/^[a-z_][a-z0-9_]{0,50}$/.test(schema)) throw new Error(`invalid schema name "${schema}"`);
  return `"${schema}"`;
}

/** Columns that retention may erase (the chain keeps their hash in detail_hash). */
const ERASABLE = ['payload', 'source_ip', 'user_agent'];
const KEPT = [
  'seq', 'event_id', 'topic', 'type', 'category', 'action', 'outcome', 'reason', 'aggregate_type', 'aggregate_id',
  'version', 'occurred_at', 'recorded_at', 'actor_id', 'actor_via', 'actor_token_id', 'on_behalf_of', 'owner_id',
  'token_id', 'user_id', 'group_id', 'prev_hash', 'detail_hash', 'content_hash', 'hash',
];

/**
 * The hash-chained audit log. The skeleton's unchained table is kept, renamed entries_pre_chain (it only ever
 * held development data); entries now carry readable columns and their chain link. Appends are serialised on
 * chain_head (SELECT ... FOR UPDATE), so positions are gap-free and commit in order, whatever the replica count.
 */
export class AuditChain1764500000000 implements MigrationInterface {
  name = 'AuditChain1764500000000';

  async up(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`ALTER TABLE ${s}.entries RENAME TO entries_pre_chain`);
    await q.query(`ALTER TABLE ${s}.entries_pre_chain RENAME CONSTRAINT entries_event_id_key TO entries_pre_chain_event_id_key`);
    await q.query(`ALTER INDEX ${s}.entries_pkey RENAME TO entries_pre_chain_pkey`);
    for (const idx of ['entries_aggregate_idx', 'entries_type_idx', 'entries_actor_token_idx']) {
      await q.query(`DROP INDEX ${s}.${idx}`);
    }
    await q.query(`CREATE TABLE ${s}.entries (
      seq bigint PRIMARY KEY CHECK (seq >= 1),
      event_id text NOT NULL,
      topic text NOT NULL,
      type text NOT NULL,
      category text NOT NULL,
      action text NOT NULL,
      outcome text NOT NULL CHECK (outcome IN ('success', 'failure')),
      reason text NULL,
      aggregate_type text NOT NULL,
      aggregate_id text NOT NULL,
      version int NULL,
      occurred_at timestamptz NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now(),
      actor_id text NULL,
      actor_via text NULL,
      actor_token_id text NULL,
      on_behalf_of text NULL,
      owner_id text NULL,
      token_id text NULL,
      user_id text NULL,
      group_id text NULL,
      source_ip text NULL,
      user_agent text NULL,
      payload jsonb NULL,
      prev_hash text NOT NULL,
      detail_hash text NOT NULL,
      content_hash text NOT NULL,
      hash text NOT NULL,
      erased_at timestamptz NULL,
      CONSTRAINT entries_event_id_key UNIQUE (event_id)
    )`);
    for (const [name, cols] of [
      ['entries_occurred_idx', 'occurred_at'],
      ['entries_actor_idx', 'actor_id, seq'],
      ['entries_owner_idx', 'owner_id, seq'],
      ['entries_token_idx', 'token_id, seq'],
      ['entries_actor_token_idx', 'actor_token_id, seq'],
      ['entries_action_idx', 'action, seq'],
      ['entries_aggregate_idx', 'aggregate_id, seq'],
      ['entries_ip_idx', 'source_ip, seq'],
    ]) {
      await q.query(`CREATE INDEX ${name} ON ${s}.entries (${cols})`);
    }
    await q.query(`CREATE INDEX entries_erasable_idx ON ${s}.entries (occurred_at)
      WHERE erased_at IS NULL AND category IN ('decision', 'usage')`);

    // the chain head: one row, locked by every append; holds the last position and hash
    await q.query(`CREATE TABLE ${s}.chain_head (
      id int PRIMARY KEY CHECK (id = 1),
      seq bigint NOT NULL,
      hash text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`INSERT INTO ${s}.chain_head (id, seq, hash) VALUES (1, 0, repeat('0', 64))`);

    await q.query(`CREATE TABLE ${s}.checkpoints (
      seq bigint PRIMARY KEY,
      hash text NOT NULL,
      signed_at timestamptz NOT NULL,
      key_id text NOT NULL,
      public_key text NOT NULL,
      signature text NOT NULL
    )`);

    // the SIEM feed reads entries in position order (gap-free, commit-ordered): the entries table is its outbox
    await q.query(`CREATE TABLE ${s}.siem_cursor (
      id int PRIMARY KEY CHECK (id = 1),
      seq bigint NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`INSERT INTO ${s}.siem_cursor (id, seq) VALUES (1, 0)`);

    // append-only, except the one change retention makes: erasing the detail of an old denial or usage entry
    const unchanged = KEPT.map((c) => `NEW.${c} IS NOT DISTINCT FROM OLD.${c}`).join(' AND ');
    const erased = ERASABLE.map((c) => `NEW.${c} IS NULL`).join(' AND ');
    await q.query(`CREATE FUNCTION ${s}.entries_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE'
           AND current_setting('latchkey.audit_erase', true) = 'on'
           AND OLD.erased_at IS NULL AND NEW.erased_at IS NOT NULL
           AND OLD.category IN ('decision', 'usage')
           AND ${unchanged} AND ${erased} THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'audit entries are append-only';
      END $$`);
    await q.query(`CREATE TRIGGER entries_append_only BEFORE UPDATE OR DELETE ON ${s}.entries
      FOR EACH ROW EXECUTE FUNCTION ${s}.entries_guard()`);
    await q.query(`CREATE TRIGGER entries_no_truncate BEFORE TRUNCATE ON ${s}.entries
      FOR EACH STATEMENT EXECUTE FUNCTION ${s}.entries_append_only()`);
    await q.query(`CREATE TRIGGER checkpoints_append_only BEFORE UPDATE OR DELETE ON ${s}.checkpoints
      FOR EACH ROW EXECUTE FUNCTION ${s}.entries_append_only()`);
    await q.query(`CREATE TRIGGER checkpoints_no_truncate BEFORE TRUNCATE ON ${s}.checkpoints
      FOR EACH STATEMENT EXECUTE FUNCTION ${s}.entries_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    for (const t of ['entries', 'chain_head', 'checkpoints', 'siem_cursor']) await q.query(`DROP TABLE ${s}.${t} CASCADE`);
    await q.query(`DROP FUNCTION ${s}.entries_guard()`);
    await q.query(`ALTER TABLE ${s}.entries_pre_chain RENAME TO entries`);
  }
}
