import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { AUDIT_SERVICE_CONFIG, AuditServiceConfig } from '../config/audit-service.config';
import { AuditEntryRepository } from '../entries/audit-entry.repository';

const DAY_MS = 86_400_000;
const BATCH = 5_000;

/**
 * Retention of denial and usage entries: past LATCHKEY_AUDIT_RETENTION_DAYS their detail (payload, IP, user agent)
 * is erased. The entry keeps its position, summary and hashes, so the chain and its checkpoints stay verifiable.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RetentionService.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly entries: AuditEntryRepository,
    @Inject(AUDIT_SERVICE_CONFIG) private readonly config: AuditServiceConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running = this.runOnce().catch((err: unknown) =>
        this.logger.warn(`retention pass failed, will retry: ${err instanceof Error ? err.message : String(err)}`),
      );
    }, this.config.LATCHKEY_AUDIT_RETENTION_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** erases everything past retention, a batch at a time; returns how many entries */
  async runOnce(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.LATCHKEY_AUDIT_RETENTION_DAYS * DAY_MS);
    let total = 0;
    for (;;) {
      const n = await this.entries.eraseDetailsBefore(cutoff, BATCH);
      total += n;
      if (n < BATCH) break;
    }
    if (total > 0) this.logger.log(`retention erased the detail of ${total} denial/usage entries before ${cutoff.toISOString()}`);
    return total;
  }
}
