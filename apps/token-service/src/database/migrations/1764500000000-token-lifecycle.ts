import { MigrationInterface, QueryRunner } from 'typeorm';

/** Usage columns, token-manager indexes, name uniqueness among active tokens, usage dedupe. */
export class TokenLifecycle1764500000000 implements MigrationInterface {
  name = 'TokenLifecycle1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE token.tokens
      ADD COLUMN last_used_at timestamptz NULL,
      ADD COLUMN last_used_ip text NULL,
      ADD COLUMN last_used_ua text NULL,
      ADD COLUMN use_count bigint NOT NULL DEFAULT 0`);
    // a name is unique per owner among active tokens
    await q.query(`CREATE UNIQUE INDEX tokens_active_name_uq ON token.tokens (owner_id, lower(name)) WHERE status = 'active'`);
    // token manager: keyset pagination per sort key, and the expiry scheduler
    await q.query('CREATE INDEX tokens_created_idx ON token.tokens (created_at, id)');
    await q.query(`CREATE INDEX tokens_expires_idx ON token.tokens ((coalesce(expires_at, 'infinity'::timestamptz)), id)`);
    await q.query(`CREATE INDEX tokens_last_used_idx ON token.tokens ((coalesce(last_used_at, '-infinity'::timestamptz)), id)`);
    await q.query('CREATE INDEX tokens_name_idx ON token.tokens (lower(name), id)');
    await q.query('CREATE INDEX tokens_owner_sort_idx ON token.tokens (owner_id, id)');
    await q.query(`CREATE INDEX tokens_due_idx ON token.tokens (expires_at) WHERE status = 'active' AND expires_at IS NOT NULL`);
    // usage batches already applied (at-least-once delivery)
    await q.query(`CREATE TABLE token.usage_batches (batch_id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE token.usage_batches');
    for (const idx of ['tokens_due_idx', 'tokens_owner_sort_idx', 'tokens_name_idx', 'tokens_last_used_idx', 'tokens_expires_idx', 'tokens_created_idx', 'tokens_active_name_uq']) {
      await q.query(`DROP INDEX token.${idx}`);
    }
    await q.query('ALTER TABLE token.tokens DROP COLUMN last_used_at, DROP COLUMN last_used_ip, DROP COLUMN last_used_ua, DROP COLUMN use_count');
  }
}
