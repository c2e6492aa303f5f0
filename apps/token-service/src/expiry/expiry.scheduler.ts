import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { TOKEN_SERVICE_CONFIG, TokenServiceConfig } from '../config/token-service.config';
import { CLOCK, Clock } from '../tokens/clock';
import { TokenRepository } from '../tokens/token.repository';
import { TokensService } from '../tokens/tokens.service';

/**
 * Emits TokenExpired when a token's time has passed and TokenExpiryWarning some days before. Every token-service
 * replica runs it; exactly-once comes from the event store: a second replica deciding on the same token loses
 * the version race and, deciding again on the new state, finds nothing left to do.
 */
@Injectable()
export class ExpiryScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ExpiryScheduler.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly repository: TokenRepository,
    private readonly tokens: TokensService,
    @Inject(TOKEN_SERVICE_CONFIG) private readonly config: TokenServiceConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.tick()
        .then(() => undefined)
        .catch((err: unknown) => this.logger.warn(`expiry pass failed: ${(err as Error).message}`))
        .finally(() => (this.running = undefined));
    }, this.config.LATCHKEY_EXPIRY_INTERVAL_MS);
  }

  /** one pass: everything due now, in batches */
  async tick(): Promise<number> {
    let emitted = 0;
    for (;;) {
      const due = await this.repository.dueForExpiry(this.clock.now(), this.config.LATCHKEY_EXPIRY_WARNING_DAYS, 200);
      let changed = 0;
      for (const token of due) {
        const events = await this.tokens.expireOrWarn(token);
        changed += events.length > 0 ? 1 : 0;
        emitted += events.length;
      }
      // a batch where nothing changed means the rest is another replica's, or not due after all
      if (due.length < 200 || changed === 0) return emitted;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
