import { MigrationInterface, QueryRunner } from 'typeorm';
import { eventStoreSchemaSql } from '@latchkey/event-store';

/**
 * Schema `notification`: the outbox (events about deliveries, published to latchkey.notification.v1), the
 * service's own view of tokens and the directory, preferences and policy, webhook endpoints, and the deliveries
 * with their attempts (the delivery log and the dead-letter store).
 */
export class NotificationSchema1764600000000 implements MigrationInterface {
  name = 'NotificationSchema1764600000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of eventStoreSchemaSql('notification')) await q.query(sql);
    // idempotency by event id: an event's effects commit together with its id
    await q.query(`CREATE TABLE notification.processed_events (
      event_id text PRIMARY KEY,
      processed_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE notification.users (
      id text PRIMARY KEY,
      user_name text NOT NULL,
      display_name text NULL,
      email text NULL,
      active boolean NOT NULL,
      version int NOT NULL
    )`);
    await q.query('CREATE INDEX users_user_name_idx ON notification.users (lower(user_name))');
    await q.query(`CREATE TABLE notification.groups (
      id text PRIMARY KEY,
      display_name text NOT NULL,
      member_ids text[] NOT NULL,
      deleted boolean NOT NULL,
      version int NOT NULL
    )`);
    await q.query(`CREATE TABLE notification.tokens (
      id uuid PRIMARY KEY,
      owner_id text NOT NULL,
      name text NOT NULL,
      hint text NOT NULL,
      status text NOT NULL,
      created_at timestamptz NOT NULL,
      expires_at timestamptz NULL,
      last_used_at timestamptz NULL,
      reminded_days int NULL,
      version int NOT NULL
    )`);
    await q.query(`CREATE INDEX tokens_expiry_idx ON notification.tokens (expires_at) WHERE status = 'active'`);
    await q.query(`CREATE TABLE notification.denials (
      hour timestamptz NOT NULL,
      code text NOT NULL,
      count int NOT NULL,
      PRIMARY KEY (hour, code)
    )`);
    await q.query(`CREATE TABLE notification.preferences (
      user_id text NOT NULL,
      kind text NOT NULL,
      channel text NOT NULL,
      enabled boolean NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (user_id, kind, channel)
    )`);
    await q.query(`CREATE TABLE notification.mandatory_notices (
      kind text NOT NULL,
      channel text NOT NULL,
      PRIMARY KEY (kind, channel)
    )`);
    await q.query(`CREATE TABLE notification.webhook_endpoints (
      id uuid PRIMARY KEY,
      owner_id text NULL,
      url text NOT NULL,
      secret text NOT NULL,
      format text NOT NULL,
      kinds text[] NOT NULL,
      active boolean NOT NULL DEFAULT true,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE notification.deliveries (
      id uuid PRIMARY KEY,
      dedupe_key text NOT NULL UNIQUE,
      notice_key text NOT NULL,
      kind text NOT NULL,
      channel text NOT NULL,
      user_id text NULL,
      token_id text NULL,
      recipient text NOT NULL,
      endpoint_id uuid NULL,
      content jsonb NOT NULL,
      status text NOT NULL,
      attempts int NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL,
      lease_until timestamptz NULL,
      last_error text NULL,
      source_event_id text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz NULL
    )`);
    await q.query(`CREATE INDEX deliveries_due_idx ON notification.deliveries (next_attempt_at) WHERE status IN ('pending', 'sending')`);
    await q.query('CREATE INDEX deliveries_log_idx ON notification.deliveries (created_at DESC, id DESC)');
    await q.query('CREATE INDEX deliveries_user_idx ON notification.deliveries (user_id, created_at DESC)');
    await q.query(`CREATE TABLE notification.delivery_attempts (
      delivery_id uuid NOT NULL REFERENCES notification.deliveries (id),
      attempt int NOT NULL,
      started_at timestamptz NOT NULL,
      duration_ms int NOT NULL,
      ok boolean NOT NULL,
      detail text NOT NULL,
      PRIMARY KEY (delivery_id, attempt, started_at)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP SCHEMA IF EXISTS notification CASCADE');
  }
}
