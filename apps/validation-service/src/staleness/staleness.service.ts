import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { Heartbeat } from '@latchkey/contracts';
import { ReadinessRegistry } from '@latchkey/service-kit';
import { VALIDATION_CONFIG, ValidationServiceConfig } from '../config/validation-service.config';
import { ValidationMetrics } from '../metrics/validation.metrics';
import { FreshnessMonitor, FreshnessSnapshot } from './freshness.monitor';

const EVALUATE_EVERY_MS = 100;

/**
 * Bounded staleness: fed by the heartbeats the token consumer reads, re-evaluated every 100 ms.
 * While stale, cached "valid" answers are not trusted (LATCHKEY_STALE_MODE) and /health/ready says so.
 */
@Injectable()
export class StalenessService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(StalenessService.name);
  readonly monitor: FreshnessMonitor;
  readonly mode: 'verify' | 'deny';
  private timer: NodeJS.Timeout | null = null;
  private last: FreshnessSnapshot;
  private everFresh = false;

  constructor(
    @Inject(VALIDATION_CONFIG) private readonly config: ValidationServiceConfig,
    private readonly readiness: ReadinessRegistry,
    private readonly metrics: ValidationMetrics,
  ) {
    this.monitor = new FreshnessMonitor(config.LATCHKEY_MAX_STALENESS_MS);
    this.mode = config.LATCHKEY_STALE_MODE;
    this.last = { stale: this.monitor.stale, lagMs: null, partitions: 0 };
  }

  get stale(): boolean {
    return this.monitor.stale;
  }

  observe(heartbeat: Heartbeat, partition: number): void {
    this.monitor.observe(heartbeat, partition, Date.now());
  }

  snapshot(): FreshnessSnapshot {
    return this.last;
  }

  onModuleInit(): void {
    this.readiness.register({
      name: 'freshness',
      check: async () => {
        const s = this.tick();
        return {
          ok: !s.stale,
          detail: { stale: s.stale, mode: this.mode, heartbeatLagMs: s.lagMs, maxStalenessMs: this.config.LATCHKEY_MAX_STALENESS_MS },
        };
      },
    });
    this.tick();
    this.timer = setInterval(() => this.tick(), EVALUATE_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private tick(): FreshnessSnapshot {
    const before = this.last.stale;
    const s = this.monitor.evaluate(Date.now());
    this.last = s;
    this.metrics.stale.set(s.stale ? 1 : 0);
    this.metrics.heartbeatLag.set(s.lagMs === null ? -1 : s.lagMs / 1000);
    if (s.stale !== before) {
      if (s.stale) {
        this.logger.warn(`replica is STALE (no heartbeat for ${s.lagMs ?? 'ever'} ms; mode ${this.mode}): cached answers are not trusted`);
      } else {
        this.logger.log(`replica is ${this.everFresh ? 'current again' : 'current'} (heartbeat lag ${s.lagMs} ms)`);
      }
    }
    if (!s.stale) this.everFresh = true;
    return s;
  }
}
