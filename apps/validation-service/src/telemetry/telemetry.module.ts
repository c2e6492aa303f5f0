import { Global, Module } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { KafkaEventPublisher } from '@latchkey/messaging';
import { SyncModule } from '../sync/sync.module';
import { KAFKA_CLIENT } from '../sync/token-sync.consumer';
import { TELEMETRY_PUBLISHER, TelemetryService } from './telemetry.service';

@Global()
@Module({
  imports: [SyncModule],
  providers: [
    { provide: TELEMETRY_PUBLISHER, inject: [KAFKA_CLIENT], useFactory: (kafka: Kafka) => new KafkaEventPublisher(kafka, { ackTimeoutMs: 5_000 }) },
    TelemetryService,
  ],
  exports: [TelemetryService],
})
export class TelemetryModule {}
