import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { NOTIFICATION_SERVICE_CONFIG, NotificationServiceConfig } from '../config/notification-service.config';
import { DigestService } from './digest.service';

/** Checks every LATCHKEY_NOTIFY_DIGEST_CHECK_MS whether today's digest is due; the dedupe key makes it once a day. */
@Injectable()
export class DigestScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DigestScheduler.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private lastDay: string | null = null;

  constructor(
    private readonly digest: DigestService,
    @Inject(NOTIFICATION_SERVICE_CONFIG) private readonly config: NotificationServiceConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      const today = new Date().toISOString().slice(0, 10);
      if (this.lastDay === today) return;
      this.running ??= this.digest
        .run()
        .then((r) => {
          if (r.queued > 0 || new Date().getUTCHours() >= this.config.LATCHKEY_NOTIFY_DIGEST_HOUR_UTC) this.lastDay = r.day;
        })
        .catch((err: unknown) => this.logger.warn(`digest failed: ${err instanceof Error ? err.message : String(err)}`))
        .finally(() => (this.running = undefined));
    }, this.config.LATCHKEY_NOTIFY_DIGEST_CHECK_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
