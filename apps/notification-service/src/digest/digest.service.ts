import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NOTIFICATION_SERVICE_CONFIG, NotificationServiceConfig } from '../config/notification-service.config';
import { withTransaction } from '../database/sql';
import { DeliveryWakeup } from '../delivery/delivery-wakeup';
import { DigestFacts, Notice } from '../notices/domain/notice';
import { NoticeFanoutService } from '../notices/notice-fanout.service';
import { digestDay, isDenialSpike } from './domain/digest';
import { DigestRepository, toSample } from './digest.repository';

const EXPIRING_WITHIN_DAYS = 7;

/** The admins' daily digest: tokens expiring within a week, never-used tokens, denials and whether they spiked. */
@Injectable()
export class DigestService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repository: DigestRepository,
    private readonly fanout: NoticeFanoutService,
    private readonly wakeup: DeliveryWakeup,
    @Inject(NOTIFICATION_SERVICE_CONFIG) private readonly config: NotificationServiceConfig,
  ) {}

  async facts(now: Date): Promise<DigestFacts> {
    const expiring = await this.repository.expiringSoon(now, EXPIRING_WITHIN_DAYS);
    const neverUsed = await this.repository.neverUsed(now, this.config.LATCHKEY_NOTIFY_NEVER_USED_DAYS);
    const denials = await this.repository.denials(now);
    return {
      day: now.toISOString().slice(0, 10),
      expiringSoon: { count: expiring.count, withinDays: EXPIRING_WITHIN_DAYS, sample: expiring.sample.map(toSample) },
      neverUsed: { count: neverUsed.count, olderThanDays: this.config.LATCHKEY_NOTIFY_NEVER_USED_DAYS, sample: neverUsed.sample.map(toSample) },
      denials: { ...denials, spike: isDenialSpike(denials.last24h, denials.dailyAverage) },
    };
  }

  /**
   * Queues the digest of the day when it is due (once a day per recipient: the key is the day), or now when
   * `force` (an admin asking for it: a key of its own, so it never replaces the scheduled one).
   */
  async run(now: Date = new Date(), force = false): Promise<{ day: string; queued: number }> {
    const { day, due } = digestDay(now, this.config.LATCHKEY_NOTIFY_DIGEST_HOUR_UTC);
    if (!due && !force) return { day, queued: 0 };
    const facts = await this.facts(now);
    const key = force ? `admin-digest:${day}:on-demand:${now.toISOString()}` : `admin-digest:${day}`;
    const notice: Notice = { key, kind: 'admin-digest', userId: null, token: null, occurredAt: now.toISOString(), sourceEventId: key, digest: facts };
    const queued = await withTransaction(this.db, (tx) => this.fanout.fanOut(tx, [notice]));
    if (queued > 0) this.wakeup.wake();
    return { day, queued };
  }
}
