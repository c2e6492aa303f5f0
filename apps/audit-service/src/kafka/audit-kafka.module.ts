import { Global, Inject, Injectable, Logger, Module, OnModuleDestroy } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { createKafka, EVENT_PUBLISHER, KafkaEventPublisher } from '@latchkey/messaging';
import { AUDIT_SERVICE_CONFIG, AuditServiceConfig } from '../config/audit-service.config';

export const AUDIT_KAFKA = Symbol('AUDIT_KAFKA');

/** Disconnects the shared producer when the app closes. */
@Injectable()
class ProducerLifecycle implements OnModuleDestroy {
  constructor(@Inject(EVENT_PUBLISHER) private readonly publisher: KafkaEventPublisher) {}

  async onModuleDestroy(): Promise<void> {
    await this.publisher.disconnect().catch(() => undefined);
  }
}

/** The Kafka client and the one producer (dead letters and the SIEM feed) of the audit-service. */
@Global()
@Module({
  providers: [
    {
      provide: AUDIT_KAFKA,
      inject: [AUDIT_SERVICE_CONFIG],
      useFactory: (config: AuditServiceConfig) => {
        const logger = new Logger('Kafka');
        return createKafka({
          brokers: config.KAFKA_BROKERS,
          clientId: 'audit-service',
          logger: { info: (m) => logger.log(m), warn: (m) => logger.warn(m), error: (m) => logger.error(m) },
        });
      },
    },
    { provide: EVENT_PUBLISHER, inject: [AUDIT_KAFKA], useFactory: (kafka: Kafka) => new KafkaEventPublisher(kafka) },
    ProducerLifecycle,
  ],
  exports: [AUDIT_KAFKA, EVENT_PUBLISHER],
})
export class AuditKafkaModule {}
