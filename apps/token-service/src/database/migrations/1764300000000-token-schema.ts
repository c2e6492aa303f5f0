import { MigrationInterface, QueryRunner } from 'typeorm';
import { eventStoreSchemaSql } from '@latchkey/event-store';

/** Event store + outbox of the token aggregate, and its read projections, in schema `token`. */
export class TokenSchema1764300000000 implements MigrationInterface {
  name = 'TokenSchema1764300000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of eventStoreSchemaSql('token')) await q.query(sql);
    await q.query(`CREATE TABLE token.tokens (
      id uuid PRIMARY KEY,
      owner_id text NOT NULL,
      created_by text NOT NULL,
      name text NOT NULL,
      status text NOT NULL,
      scopes text[] NOT NULL,
      created_at timestamptz NOT NULL,
      expires_at timestamptz NULL,
      version int NOT NULL,
      view jsonb NOT NULL
    )`);
    await q.query('CREATE INDEX tokens_owner_idx ON token.tokens (owner_id, created_at DESC)');
    // HMAC of each secret generation -> token; the only place hashes live
    await q.query(`CREATE TABLE token.token_secrets (
      secret_hash text PRIMARY KEY,
      token_id uuid NOT NULL REFERENCES token.tokens (id),
      generation int NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query('CREATE INDEX token_secrets_token_idx ON token.token_secrets (token_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP SCHEMA token CASCADE');
  }
}
