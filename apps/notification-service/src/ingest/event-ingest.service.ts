import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EventHeaders, isDecisionEvent, isEventEnvelope, isGroupEvent, isTokenEvent, isTokenUsage, isUserEvent } from '@latchkey/contracts';
import { IncomingMessage } from '@latchkey/messaging';
import { NOTIFICATION_SERVICE_CONFIG, NotificationServiceConfig } from '../config/notification-service.config';
import { SqlTransaction, withTransaction } from '../database/sql';
import { DeliveryWakeup } from '../delivery/delivery-wakeup';
import { isTooOldToNotify, noticesForTokenEvent } from '../notices/domain/notice.decider';
import { NoticeFanoutService } from '../notices/notice-fanout.service';
import { ViewRepository } from '../view/view.repository';

export const INGEST_CLOCK = Symbol('INGEST_CLOCK');

/** What happened to one message (for logs and tests). */
export type IngestOutcome = 'applied' | 'duplicate' | 'ignored';

/**
 * Applies one message of the token, directory, decision or usage topic: in one transaction its id is recorded,
 * the view updated and the notices it causes queued. A redelivered message finds its id and changes nothing.
 */
@Injectable()
export class EventIngestService {
  private readonly logger = new Logger(EventIngestService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly view: ViewRepository,
    private readonly fanout: NoticeFanoutService,
    private readonly wakeup: DeliveryWakeup,
    @Inject(NOTIFICATION_SERVICE_CONFIG) private readonly config: NotificationServiceConfig,
    @Inject(INGEST_CLOCK) private readonly now: () => Date,
  ) {}

  async handle(message: IncomingMessage): Promise<IngestOutcome> {
    if (message.headers[EventHeaders.type] === 'Heartbeat' || message.value.trim() === '') return 'ignored';
    let parsed: unknown;
    try {
      parsed = JSON.parse(message.value);
    } catch {
      this.logger.warn(`ignored a message that is not JSON on ${message.topic}[${message.partition}]@${message.offset}`);
      return 'ignored';
    }
    const id = messageId(parsed);
    if (!id) return 'ignored';
    let queued = 0;
    let outcome: IngestOutcome;
    try {
      outcome = await withTransaction(this.db, async (tx) => {
        if (!(await this.view.firstTime(tx, id))) return 'duplicate' as const;
        queued = await this.apply(tx, parsed);
        return 'applied' as const;
      });
    } catch (err) {
      // a value the database refuses as data would fail the same way forever: skip it rather than block the partition
      if (!isDataError(err)) throw err;
      this.logger.warn(`ignored an unstorable message on ${message.topic}[${message.partition}]@${message.offset}: ${(err as Error).message}`);
      await withTransaction(this.db, (tx) => this.view.firstTime(tx, id));
      return 'ignored';
    }
    if (queued > 0) this.wakeup.wake();
    return outcome;
  }

  /** the number of deliveries queued */
  private async apply(tx: SqlTransaction, m: unknown): Promise<number> {
    if (isDecisionEvent(m)) {
      if (Number.isNaN(Date.parse(m.occurredAt))) return 0;
      await this.view.countDenial(tx, m.occurredAt, m.code, 1 + Math.max(0, m.droppedBefore ?? 0));
      return 0;
    }
    if (isTokenUsage(m)) {
      if (!UUID.test(m.tokenId) || Number.isNaN(Date.parse(m.lastUsedAt))) return 0;
      await this.view.recordUse(tx, m.tokenId, m.lastUsedAt);
      return 0;
    }
    if (!isEventEnvelope(m)) return 0;
    if (isUserEvent(m)) {
      await this.view.upsertUser(tx, m.state);
      return 0;
    }
    if (isGroupEvent(m)) {
      await this.view.upsertGroup(tx, m.state);
      return 0;
    }
    if (!isTokenEvent(m)) return 0;
    await this.view.upsertToken(tx, m.state);
    if (isTooOldToNotify(m.occurredAt, this.now(), this.config.LATCHKEY_NOTIFY_MAX_EVENT_AGE_MS)) return 0;
    return this.fanout.fanOut(tx, noticesForTokenEvent(m));
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** SQLSTATE classes 22 (data exception) and 23 (integrity violation): the row, not the database, is the problem. */
function isDataError(err: unknown): boolean {
  const e = err as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.code ?? e?.driverError?.code;
  return typeof code === 'string' && /^(22|23)/.test(code);
}

/** The idempotency key of a message: eventId (envelopes), decisionId (denials), usageId (usage summaries). */
function messageId(m: unknown): string | null {
  if (typeof m !== 'object' || m === null) return null;
  const v = m as Record<string, unknown>;
  for (const k of ['eventId', 'decisionId', 'usageId']) if (typeof v[k] === 'string' && v[k]) return String(v[k]).slice(0, 200);
  return null;
}
