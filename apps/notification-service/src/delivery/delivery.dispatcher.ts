import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { METRICS_REGISTRY } from '@latchkey/service-kit';
import { NOTIFICATION_SERVICE_CONFIG, NotificationServiceConfig } from '../config/notification-service.config';
import { DeliveryRepository } from './delivery.repository';
import { DeliveryService } from './delivery.service';
import { DeliveryWakeup } from './delivery-wakeup';

/**
 * Sends queued deliveries with LATCHKEY_NOTIFY_CONCURRENCY workers. Each worker claims one due delivery at a time
 * (FOR UPDATE SKIP LOCKED, so replicas share the queue), sends it, and records the outcome before it claims the
 * next: whatever was recorded as sent is never sent again. A process killed mid-send leaves its claim to expire
 * (LATCHKEY_NOTIFY_LEASE_MS) and another worker sends it again with the same Message-ID / webhook-id.
 */
@Injectable()
export class DeliveryDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeliveryDispatcher.name);
  private stopping = false;
  private readonly workers: Promise<void>[] = [];
  private readonly sleepers = new Set<() => void>();
  private unsubscribe?: () => void;
  private readonly outcomes: Counter<'channel' | 'outcome'>;

  constructor(
    private readonly repository: DeliveryRepository,
    private readonly deliveries: DeliveryService,
    private readonly wakeup: DeliveryWakeup,
    @Inject(NOTIFICATION_SERVICE_CONFIG) private readonly config: NotificationServiceConfig,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.outcomes = new Counter({
      name: 'latchkey_notification_attempts_total',
      help: 'Delivery attempts by channel and outcome (sent, pending = will retry, dead = dead-lettered)',
      labelNames: ['channel', 'outcome'],
      registers: [registry],
    });
  }

  onApplicationBootstrap(): void {
    if (!this.config.LATCHKEY_NOTIFY_DISPATCH) {
      this.logger.log('LATCHKEY_NOTIFY_DISPATCH=false: queueing only, another process sends');
      return;
    }
    this.unsubscribe = this.wakeup.on(() => this.wakeAll());
    for (let i = 0; i < this.config.LATCHKEY_NOTIFY_CONCURRENCY; i++) this.workers.push(this.work());
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    this.wakeAll();
    await Promise.all(this.workers);
    await this.deliveries.close();
  }

  private wakeAll(): void {
    for (const wake of [...this.sleepers]) wake();
  }

  private async work(): Promise<void> {
    while (!this.stopping) {
      try {
        const delivery = await this.repository.claimNext(this.config.LATCHKEY_NOTIFY_LEASE_MS);
        if (delivery) {
          const outcome = await this.deliveries.attempt(delivery);
          this.outcomes.inc({ channel: delivery.channel, outcome });
          continue;
        }
        const due = await this.repository.nextDueInMs();
        await this.sleep(Math.min(this.config.LATCHKEY_NOTIFY_POLL_MS, due ?? Number.POSITIVE_INFINITY));
      } catch (err) {
        this.logger.warn(`delivery pass failed, retrying: ${err instanceof Error ? err.message : String(err)}`);
        await this.sleep(this.config.LATCHKEY_NOTIFY_POLL_MS);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(1, ms));
      this.sleepers.add(done);
    });
  }
}
