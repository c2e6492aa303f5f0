import { Module } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { ensureTopics, EVENT_PUBLISHER, EventPublisher } from '@latchkey/messaging';
import { AuditEntriesModule } from '../entries/audit-entries.module';
import { AUDIT_SERVICE_CONFIG, AuditServiceConfig, auditDlqTopic } from '../config/audit-service.config';
import { AUDIT_KAFKA } from '../kafka/audit-kafka.module';
import { auditIngestMetricsProvider } from './audit-ingest.metrics';
import { AuditIngestService } from './audit-ingest.service';
import { AuditIngestConsumer } from './audit-ingest.consumer';
import { DEAD_LETTER_SINK } from './dead-letter.port';
import { EVENT_SOURCE } from './event-source.port';
import { KafkaBatchEventSource } from './kafka/kafka-batch-event-source';
import { KafkaDeadLetterSink } from './kafka/kafka-dead-letter.sink';

/** Event topics -> hash-chained audit log; garbage -> dead-letter topic. */
@Module({
  imports: [AuditEntriesModule],
  providers: [
    auditIngestMetricsProvider,
    AuditIngestService,
    AuditIngestConsumer,
    {
      provide: EVENT_SOURCE,
      inject: [AUDIT_SERVICE_CONFIG],
      useFactory: (config: AuditServiceConfig) =>
        new KafkaBatchEventSource({
          brokers: config.KAFKA_BROKERS,
          clientId: 'audit-service',
          maxBatch: config.LATCHKEY_AUDIT_INGEST_BATCH,
          sessionTimeoutMs: config.LATCHKEY_AUDIT_SESSION_TIMEOUT_MS,
          concurrentPartitions: 16,
        }),
    },
    {
      provide: DEAD_LETTER_SINK,
      inject: [AUDIT_SERVICE_CONFIG, AUDIT_KAFKA, EVENT_PUBLISHER],
      useFactory: async (config: AuditServiceConfig, kafka: Kafka, publisher: EventPublisher) => {
        const topic = auditDlqTopic(config.LATCHKEY_TOPIC_NAMESPACE);
        await ensureTopics(kafka, [topic]);
        return new KafkaDeadLetterSink(publisher, topic);
      },
    },
  ],
})
export class IngestModule {}
