import { Logger, Module } from '@nestjs/common';
import { createKafka } from '@latchkey/messaging';
import { MemoryTokenCache } from '../cache/memory-token.cache';
import { TOKEN_READ_MODEL, TokenReadModel } from '../cache/token-read-model.port';
import { VALIDATION_CONFIG, ValidationServiceConfig } from '../config/validation-service.config';
import { ValidationMetrics } from '../metrics/validation.metrics';
import { StalenessService } from '../staleness/staleness.service';
import { ReplicaPresenceService } from './replica-presence.service';
import { RevocationFastLane } from './revocation-fast-lane';
import { TokenEventApplier } from './token-event.applier';
import { KAFKA_CLIENT, nestMessagingLogger, TokenSyncConsumer } from './token-sync.consumer';

/** Keeps the caches current from the token topic, tracks heartbeats, and acknowledges applied events. */
@Module({
  providers: [
    {
      provide: KAFKA_CLIENT,
      inject: [VALIDATION_CONFIG],
      useFactory: (config: ValidationServiceConfig) =>
        createKafka({
          brokers: config.KAFKA_BROKERS,
          clientId: `latchkey-validation-${config.LATCHKEY_REPLICA_ID}`,
          logger: nestMessagingLogger(new Logger('Kafka')),
        }),
    },
    ReplicaPresenceService,
    {
      provide: TokenEventApplier,
      inject: [MemoryTokenCache, TOKEN_READ_MODEL, ValidationMetrics, StalenessService, ReplicaPresenceService],
      useFactory: (memory: MemoryTokenCache, readModel: TokenReadModel, metrics: ValidationMetrics, staleness: StalenessService, presence: ReplicaPresenceService) =>
        new TokenEventApplier(memory, readModel, metrics, {
          onHeartbeat: (heartbeat, partition) => staleness.observe(heartbeat, partition),
          onApplied: presence.applied,
        }),
    },
    TokenSyncConsumer,
    RevocationFastLane,
  ],
  exports: [TokenSyncConsumer, KAFKA_CLIENT, ReplicaPresenceService],
})
export class SyncModule {}
