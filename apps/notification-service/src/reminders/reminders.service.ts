import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NOTIFICATION_SERVICE_CONFIG, NotificationServiceConfig } from '../config/notification-service.config';
import { withTransaction } from '../database/sql';
import { DeliveryWakeup } from '../delivery/delivery-wakeup';
import { Notice } from '../notices/domain/notice';
import { daysLeft, dueReminder, reminderHorizon } from '../notices/domain/reminder-schedule';
import { NoticeFanoutService } from '../notices/notice-fanout.service';
import { ReminderRepository } from './reminder.repository';

export interface ReminderPassResult {
  /** the time the pass judged by */
  at: string;
  /** tokens looked at */
  scanned: number;
  /** reminders due (one per token at most) */
  reminders: number;
  /** deliveries queued for them */
  deliveries: number;
}

const PAGE = 2_000;

/**
 * One reminder pass: every active token expiring within the largest threshold is read once (keyset pages); the
 * pure schedule says which reminder is due; each page's reminders are queued and marked in one transaction, so a
 * crash mid-pass loses nothing and the next pass sends nothing twice.
 */
@Injectable()
export class RemindersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repository: ReminderRepository,
    private readonly fanout: NoticeFanoutService,
    private readonly wakeup: DeliveryWakeup,
    @Inject(NOTIFICATION_SERVICE_CONFIG) private readonly config: NotificationServiceConfig,
  ) {}

  async runPass(now: Date = new Date()): Promise<ReminderPassResult> {
    const thresholds = this.config.LATCHKEY_NOTIFY_REMINDER_DAYS;
    const horizon = reminderHorizon(now, thresholds);
    const smallest = Math.min(...thresholds);
    const result: ReminderPassResult = { at: now.toISOString(), scanned: 0, reminders: 0, deliveries: 0 };
    for (let after: string | null = null; ; ) {
      const page = await this.repository.candidates(now, horizon, smallest, after, PAGE);
      if (page.length === 0) break;
      after = page[page.length - 1].id;
      result.scanned += page.length;
      const due = page.flatMap((t) => {
        const days = dueReminder(t.expiresAt, now, thresholds, t.remindedDays);
        return days === null ? [] : [{ token: t, days }];
      });
      if (due.length === 0) continue;
      const notices: Notice[] = due.map(({ token, days }) => ({
        key: `expiry-reminder:${token.id}:${token.expiresAt.toISOString()}:${days}`,
        kind: 'expiry-reminder',
        userId: token.ownerId,
        token: { id: token.id, name: token.name, hint: token.hint, expiresAt: token.expiresAt.toISOString() },
        occurredAt: now.toISOString(),
        sourceEventId: `reminder:${token.id}:${days}`,
        daysLeft: daysLeft(token.expiresAt, now),
      }));
      result.deliveries += await withTransaction(this.db, async (tx) => {
        await this.repository.markReminded(tx, due.map(({ token, days }) => ({ id: token.id, days })));
        return this.fanout.fanOut(tx, notices);
      });
      result.reminders += due.length;
      this.wakeup.wake();
    }
    return result;
  }
}
