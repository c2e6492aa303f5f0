import { Inject, Injectable, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Topics, topicName } from '@latchkey/contracts';
import { OutboxRelay } from '@latchkey/event-store';
import { createKafka, ensureTopics, KafkaEventPublisher, MessagingLogger } from '@latchkey/messaging';
import { ReadinessRegistry } from '@latchkey/service-kit';
import { POLICY_SERVICE_CONFIG, PolicyServiceConfig } from '../config/policy-service.config';

/** Publishes the policy schema's outbox (directory and policy events) to Kafka for as long as the service runs. */
@Injectable()
export class OutboxPublisher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxPublisher.name);
  private readonly publisher: KafkaEventPublisher;
  private readonly relay: OutboxRelay;
  private readonly kafka: ReturnType<typeof createKafka>;

  constructor(
    @InjectDataSource() db: DataSource,
    @Inject(POLICY_SERVICE_CONFIG) private readonly config: PolicyServiceConfig,
    readiness: ReadinessRegistry,
  ) {
    const log: MessagingLogger = {
      info: (m) => this.logger.log(m),
      warn: (m) => this.logger.warn(m),
      error: (m) => this.logger.error(m),
    };
    this.kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'policy-service', logger: log });
    this.publisher = new KafkaEventPublisher(this.kafka);
    this.relay = new OutboxRelay(db, this.publisher, {
      schema: config.LATCHKEY_POLICY_SCHEMA,
      databaseUrl: config.DATABASE_URL,
      pollIntervalMs: config.LATCHKEY_OUTBOX_POLL_MS,
      logger: log,
    });
    // writes do not need Kafka (they land in the outbox): readiness reports the relay without failing on it
    readiness.register({
      name: 'outbox',
      check: async () => ({ ok: true, detail: { relayHealthy: this.relay.healthy, pending: await this.relay.pending() } }),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    const ns = this.config.LATCHKEY_TOPIC_NAMESPACE;
    await ensureTopics(this.kafka, [topicName(Topics.directory, ns), topicName(Topics.policy, ns)]).catch((err: unknown) =>
      this.logger.warn(`could not create topics yet: ${(err as Error).message}`),
    );
    this.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop();
    await this.publisher.disconnect().catch(() => undefined);
  }
}

@Module({ providers: [OutboxPublisher] })
export class OutboxModule {}
