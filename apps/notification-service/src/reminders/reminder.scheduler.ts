import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { NOTIFICATION_SERVICE_CONFIG, NotificationServiceConfig } from '../config/notification-service.config';
import { RemindersService } from './reminders.service';

/** Runs a reminder pass every LATCHKEY_NOTIFY_REMINDER_INTERVAL_MS (and once at start); replicas may overlap harmlessly. */
@Injectable()
export class ReminderScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReminderScheduler.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly reminders: RemindersService,
    @Inject(NOTIFICATION_SERVICE_CONFIG) private readonly config: NotificationServiceConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.tick(), this.config.LATCHKEY_NOTIFY_REMINDER_INTERVAL_MS);
    this.tick();
  }

  private tick(): void {
    this.running ??= this.reminders
      .runPass()
      .then((r) => {
        if (r.reminders > 0) this.logger.log(`reminder pass: ${r.reminders} reminders, ${r.deliveries} deliveries queued (${r.scanned} tokens looked at)`);
      })
      .catch((err: unknown) => this.logger.warn(`reminder pass failed: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => (this.running = undefined));
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
