import { DynamicModule, Inject, Injectable, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OutboxRelay } from '@latchkey/event-store';
import { createKafka, ensureTopics, KafkaEventPublisher, MessagingLogger } from '@latchkey/messaging';
import { ReadinessRegistry } from './health.module';

export interface OutboxPublisherOptions {
  clientId: string;
  /** the schema whose outbox is published */
  schema: string;
  /** topics the outbox writes to, created at start */
  topics: string[];
  brokers: string[];
  databaseUrl: string;
  pollIntervalMs?: number;
}

const OPTIONS = Symbol('OUTBOX_PUBLISHER_OPTIONS');

/** Publishes a service's outbox to Kafka for as long as the service runs (OutboxRelay + Kafka driver). */
@Injectable()
export class OutboxPublisher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxPublisher.name);
  private readonly kafka: ReturnType<typeof createKafka>;
  private readonly publisher: KafkaEventPublisher;
  private readonly relay: OutboxRelay;

  constructor(@Inject(getDataSourceToken()) db: DataSource, @Inject(OPTIONS) private readonly options: OutboxPublisherOptions, readiness: ReadinessRegistry) {
    const log: MessagingLogger = { info: (m) => this.logger.log(m), warn: (m) => this.logger.warn(m), error: (m) => this.logger.error(m) };
    this.kafka = createKafka({ brokers: options.brokers, clientId: options.clientId, logger: log });
    this.publisher = new KafkaEventPublisher(this.kafka);
    this.relay = new OutboxRelay(db, this.publisher, { schema: options.schema, databaseUrl: options.databaseUrl, pollIntervalMs: options.pollIntervalMs, logger: log });
    // writes do not need Kafka (they land in the outbox): readiness reports the relay without failing on it
    readiness.register({
      name: 'outbox',
      check: async () => ({ ok: true, detail: { relayHealthy: this.relay.healthy, pending: await this.relay.pending() } }),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await ensureTopics(this.kafka, this.options.topics).catch((err: unknown) => this.logger.warn(`could not create topics yet: ${(err as Error).message}`));
    this.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop();
    await this.publisher.disconnect().catch(() => undefined);
  }
}

@Module({})
export class OutboxPublisherModule {
  static forRoot(options: OutboxPublisherOptions): DynamicModule {
    return { module: OutboxPublisherModule, providers: [{ provide: OPTIONS, useValue: options }, OutboxPublisher] };
  }
}
