import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type Redis from 'ioredis';
import { ReadinessRegistry } from '@latchkey/service-kit';
import { REDIS_CLIENT } from '../cache/redis/redis.provider';
import { VALIDATION_CONFIG, ValidationServiceConfig } from '../config/validation-service.config';
import { ValidationMetrics } from '../metrics/validation.metrics';
import { StalenessService } from '../staleness/staleness.service';
import { ReplicaPresence } from './replica-presence';
import { TokenSyncConsumer } from './token-sync.consumer';

/** Wires ReplicaPresence to Redis (live = caught up with the token topic and not stale) and to readiness. */
@Injectable()
export class ReplicaPresenceService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ReplicaPresenceService.name);
  private readonly presence: ReplicaPresence;
  private lastWarning = 0;

  constructor(
    @Inject(VALIDATION_CONFIG) config: ValidationServiceConfig,
    @Inject(REDIS_CLIENT) redis: Redis,
    staleness: StalenessService,
    private readonly metrics: ValidationMetrics,
    moduleRef: ModuleRef,
    readiness: ReadinessRegistry,
  ) {
    const resolved: { consumer?: TokenSyncConsumer } = {};
    this.presence = new ReplicaPresence(redis, {
      namespace: config.LATCHKEY_TOPIC_NAMESPACE,
      replicaId: config.LATCHKEY_REPLICA_ID,
      isLive: () => {
        // resolved lazily: the consumer depends on the applier, which depends on this service
        const consumer = (resolved.consumer ??= moduleRef.get(TokenSyncConsumer, { strict: false }));
        return consumer.caughtUp() && !staleness.stale;
      },
      onError: (what, err) => {
        if (what === 'publish') this.metrics.ackPublishFailures.inc();
        const now = Date.now();
        if (now - this.lastWarning < 5_000) return;
        this.lastWarning = now;
        this.logger.warn(`replica presence (${what}) failed: ${err instanceof Error ? err.message : String(err)}`);
      },
    });
    this.registerReadiness(readiness);
  }

  /** after a token event (or a user's directory event) is applied in memory */
  private registerReadiness(readiness: ReadinessRegistry): void {
    // ready implies counted live: a revoke answered right after this replica turned ready has waited for it
    readiness.register({ name: 'replica-presence', check: async () => ({ ok: await this.presence.announceIfLive(), detail: { announced: this.presence.isAnnounced } }) });
  }

  readonly applied = (event: { eventId: string; aggregateId: string; version: number; occurredAt: string }): void => {
    void this.presence.applied(event);
  };

  onApplicationBootstrap(): void {
    this.presence.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.presence.stop();
  }
}
