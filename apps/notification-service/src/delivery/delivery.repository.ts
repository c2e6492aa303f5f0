import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { EventHeaders, NOTIFICATION_AGGREGATE, NotificationEvent, NotificationEventData, NotificationEventType, SYSTEM_ACTOR, Topics, topicName } from '@latchkey/contracts';
import { signalLocalAppend } from '@latchkey/event-store';
import { NOTIFICATION_SCHEMA, NOTIFICATION_SERVICE_CONFIG, NotificationServiceConfig } from '../config/notification-service.config';
import { autocommit, SqlTransaction, withTransaction } from '../database/sql';
import { Delivery, DeliveryAttempt, DeliveryContent, DeliveryStatus, NewDelivery } from './delivery.types';

interface DeliveryRow {
  id: string;
  dedupe_key: string;
  notice_key: string;
  kind: Delivery['kind'];
  channel: Delivery['channel'];
  user_id: string | null;
  token_id: string | null;
  recipient: string;
  endpoint_id: string | null;
  content: DeliveryContent;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  source_event_id: string;
  created_at: Date;
  updated_at: Date;
  sent_at: Date | null;
}

const toDelivery = (r: DeliveryRow): Delivery => ({
  id: r.id,
  dedupeKey: r.dedupe_key,
  noticeKey: r.notice_key,
  kind: r.kind,
  channel: r.channel,
  userId: r.user_id,
  tokenId: r.token_id,
  recipient: r.recipient,
  endpointId: r.endpoint_id,
  content: r.content,
  sourceEventId: r.source_event_id,
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at.toISOString(),
  lastError: r.last_error,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
  sentAt: r.sent_at ? r.sent_at.toISOString() : null,
});

export interface DeliveryFilter {
  status?: DeliveryStatus;
  kind?: string;
  channel?: string;
  userId?: string;
  tokenId?: string;
  /** newest first: only deliveries created before this cursor (created_at, id) */
  before?: { createdAt: string; id: string };
  limit: number;
}

/** How an attempt ended, as the dispatcher records it. */
export type AttemptRecord =
  | { status: 'sent'; attempt: DeliveryAttempt }
  | { status: 'pending'; attempt: DeliveryAttempt; retryInMs: number }
  | { status: 'dead'; attempt: DeliveryAttempt };

/**
 * The deliveries (the queue, the delivery log and the dead-letter store in one table), their attempts, and the
 * outbox rows that publish each outcome to latchkey.notification.v1 in the same transaction.
 */
@Injectable()
export class DeliveryRepository {
  private readonly topic: string;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(NOTIFICATION_SERVICE_CONFIG) config: NotificationServiceConfig,
  ) {
    this.topic = topicName(Topics.notification, config.LATCHKEY_TOPIC_NAMESPACE);
  }

  /** queues deliveries; one already queued under the same dedupe key is left alone. The number queued. */
  async enqueue(tx: SqlTransaction, deliveries: NewDelivery[]): Promise<number> {
    if (deliveries.length === 0) return 0;
    const rows = await tx.query<{ id: string }>(
      `INSERT INTO notification.deliveries
         (id, dedupe_key, notice_key, kind, channel, user_id, token_id, recipient, endpoint_id, content, status, next_attempt_at, source_event_id)
       SELECT d."id", d."dedupeKey", d."noticeKey", d."kind", d."channel", d."userId", d."tokenId", d."recipient", d."endpointId", d."content",
              'pending', now(), d."sourceEventId"
         FROM jsonb_to_recordset($1::jsonb) AS d("id" uuid, "dedupeKey" text, "noticeKey" text, "kind" text, "channel" text, "userId" text,
              "tokenId" text, "recipient" text, "endpointId" uuid, "content" jsonb, "sourceEventId" text)
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING id`,
      [JSON.stringify(deliveries)],
    );
    return rows.length;
  }

  /**
   * Takes the next due delivery for leaseMs: a pending one whose time has come, or one whose previous holder's
   * lease ran out (it crashed mid-send). Counts the attempt at once, so a crash still counts it.
   */
  async claimNext(leaseMs: number): Promise<Delivery | null> {
    const [row] = await autocommit(this.db).query<DeliveryRow>(
      `UPDATE notification.deliveries d
          SET status = 'sending', attempts = d.attempts + 1, lease_until = now() + $1 * interval '1 millisecond', updated_at = now()
        WHERE d.id = (
          SELECT id FROM notification.deliveries
           WHERE (status = 'pending' AND next_attempt_at <= now()) OR (status = 'sending' AND lease_until < now())
           ORDER BY next_attempt_at
           LIMIT 1
           FOR UPDATE SKIP LOCKED)
      RETURNING d.*`,
      [leaseMs],
    );
    return row ? toDelivery(row) : null;
  }

  /** records an attempt and its consequence; a final outcome (sent, dead) is published through the outbox */
  async record(delivery: Delivery, outcome: AttemptRecord): Promise<void> {
    await withTransaction(this.db, async (tx) => {
      const a = outcome.attempt;
      await tx.query(
        `INSERT INTO notification.delivery_attempts (delivery_id, attempt, started_at, duration_ms, ok, detail) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT DO NOTHING`,
        [delivery.id, a.attempt, a.startedAt, a.durationMs, a.ok, a.detail.slice(0, 1000)],
      );
      if (outcome.status === 'sent') {
        await tx.query(
          `UPDATE notification.deliveries SET status = 'sent', sent_at = now(), lease_until = NULL, last_error = NULL, updated_at = now() WHERE id = $1`,
          [delivery.id],
        );
        await this.publish(tx, 'NotificationSent', delivery, a.attempt);
      } else if (outcome.status === 'pending') {
        await tx.query(
          `UPDATE notification.deliveries SET status = 'pending', next_attempt_at = now() + $2 * interval '1 millisecond', lease_until = NULL,
                  last_error = $3, updated_at = now() WHERE id = $1`,
          [delivery.id, outcome.retryInMs, a.detail.slice(0, 1000)],
        );
      } else {
        await tx.query(
          `UPDATE notification.deliveries SET status = 'dead', lease_until = NULL, last_error = $2, updated_at = now() WHERE id = $1`,
          [delivery.id, a.detail.slice(0, 1000)],
        );
        await this.publish(tx, 'NotificationDeadLettered', delivery, a.attempt, a.detail);
      }
    });
    if (outcome.status !== 'pending') signalLocalAppend(NOTIFICATION_SCHEMA);
  }

  private async publish(tx: SqlTransaction, type: NotificationEventType, d: Delivery, attempts: number, reason?: string): Promise<void> {
    const [{ n }] = await tx.query<{ n: string }>('SELECT count(*) AS n FROM notification.delivery_attempts WHERE delivery_id = $1', [d.id]);
    const data: NotificationEventData = {
      deliveryId: d.id,
      noticeId: d.noticeKey,
      kind: d.kind,
      channel: d.channel,
      userId: d.userId,
      tokenId: d.tokenId,
      recipient: d.recipient,
      attempts,
      sourceEventId: d.sourceEventId,
      ...(reason ? { reason: reason.slice(0, 500) } : {}),
    };
    const event: NotificationEvent = {
      eventId: uuidv7(),
      type,
      aggregateType: NOTIFICATION_AGGREGATE,
      aggregateId: d.id,
      version: Math.max(1, Number(n)),
      occurredAt: new Date().toISOString(),
      actor: SYSTEM_ACTOR,
      data,
    };
    await tx.query(
      `INSERT INTO notification.outbox (event_id, topic, message_key, payload, headers) VALUES ($1, $2, $3, $4, $5)`,
      [event.eventId, this.topic, d.id, JSON.stringify(event), JSON.stringify({ [EventHeaders.eventId]: event.eventId, [EventHeaders.type]: type, [EventHeaders.aggregateType]: NOTIFICATION_AGGREGATE })],
    );
  }

  async list(f: DeliveryFilter): Promise<Delivery[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (f.status) add('status = ?', f.status);
    if (f.kind) add('kind = ?', f.kind);
    if (f.channel) add('channel = ?', f.channel);
    if (f.userId) add('user_id = ?', f.userId);
    if (f.tokenId) add('token_id = ?', f.tokenId);
    if (f.before) {
      params.push(f.before.createdAt, f.before.id);
      where.push(`(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(f.limit);
    const rows = await autocommit(this.db).query<DeliveryRow>(
      `SELECT * FROM notification.deliveries ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toDelivery);
  }

  async get(id: string): Promise<Delivery | null> {
    const [row] = await autocommit(this.db).query<DeliveryRow>('SELECT * FROM notification.deliveries WHERE id = $1', [id]);
    return row ? toDelivery(row) : null;
  }

  async attempts(id: string): Promise<DeliveryAttempt[]> {
    const rows = await autocommit(this.db).query<{ attempt: number; started_at: Date; duration_ms: number; ok: boolean; detail: string }>(
      'SELECT attempt, started_at, duration_ms, ok, detail FROM notification.delivery_attempts WHERE delivery_id = $1 ORDER BY started_at',
      [id],
    );
    return rows.map((r) => ({ attempt: r.attempt, startedAt: r.started_at.toISOString(), durationMs: r.duration_ms, ok: r.ok, detail: r.detail }));
  }

  /** a dead letter back in the queue with a fresh set of attempts; false if it is not a dead letter */
  async replay(id: string): Promise<boolean> {
    const rows = await autocommit(this.db).query<{ id: string }>(
      `UPDATE notification.deliveries SET status = 'pending', attempts = 0, next_attempt_at = now(), last_error = NULL, updated_at = now()
        WHERE id = $1 AND status = 'dead' RETURNING id`,
      [id],
    );
    return rows.length > 0;
  }

  /** the time the next queued delivery is due, so the dispatcher can sleep until then */
  async nextDueInMs(): Promise<number | null> {
    const [row] = await autocommit(this.db).query<{ ms: string | null }>(
      `SELECT (extract(epoch FROM min(CASE WHEN status = 'pending' THEN next_attempt_at ELSE lease_until END) - now()) * 1000)::bigint AS ms
         FROM notification.deliveries WHERE status IN ('pending', 'sending')`,
    );
    return row?.ms === null || row?.ms === undefined ? null : Math.max(0, Number(row.ms));
  }
}
