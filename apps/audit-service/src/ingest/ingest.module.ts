import { Module } from '@nestjs/common';
import { AuditEntriesModule } from '../entries/audit-entries.module';
import { AUDIT_SERVICE_CONFIG, AuditServiceConfig } from '../config/audit-service.config';
import { auditIngestMetricsProvider } from './audit-ingest.metrics';
import { AuditIngestService } from './audit-ingest.service';
import { AuditIngestConsumer } from './audit-ingest.consumer';
import { EVENT_SOURCE } from './event-source.port';
import { KafkaEventSource } from './kafka/kafka-event-source';

/** Event topics -> audit log. */
@Module({
  imports: [AuditEntriesModule],
  providers: [
    auditIngestMetricsProvider,
    AuditIngestService,
    AuditIngestConsumer,
    {
      provide: EVENT_SOURCE,
      inject: [AUDIT_SERVICE_CONFIG],
      useFactory: (config: AuditServiceConfig) => new KafkaEventSource(config.KAFKA_BROKERS, 'audit-service'),
    },
  ],
})
export class IngestModule {}
