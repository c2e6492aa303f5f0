import { Logger } from '@nestjs/common';
import { createKafka, ensureTopics, KafkaSubscriber, MessagingLogger } from '@latchkey/messaging';
import { EventSource, EventSubscription, SubscriptionOptions } from '../event-source.port';

/** Kafka driver of EventSource: creates the topics if needed, reads them from the beginning for a new group. */
export class KafkaEventSource implements EventSource {
  private readonly logger = new Logger(KafkaEventSource.name);
  private readonly log: MessagingLogger = {
    info: (m) => this.logger.log(m),
    warn: (m) => this.logger.warn(m),
    error: (m) => this.logger.error(m),
  };

  constructor(private readonly brokers: string[], private readonly clientId: string) {}

  subscribe(options: SubscriptionOptions): EventSubscription {
    const kafka = createKafka({ brokers: this.brokers, clientId: this.clientId, logger: this.log });
    const subscriber = new KafkaSubscriber({
      kafka,
      groupId: options.groupId,
      topics: options.topics,
      // a new group must read the whole log: the audit trail cannot start "at latest" (kafkajs #1629)
      fromBeginning: true,
      handler: options.handler,
      logger: this.log,
    });
    return {
      start: async () => {
        await ensureTopics(kafka, options.topics);
        await subscriber.start();
      },
      stop: () => subscriber.stop(),
      caughtUp: () => subscriber.caughtUp(),
      get healthy() {
        return subscriber.healthy;
      },
      get lastError() {
        return subscriber.lastError;
      },
    };
  }
}
