import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Topics, topicName } from '@latchkey/contracts';
import { createKafka, ensureTopics, KafkaSubscriber, MessagingLogger } from '@latchkey/messaging';
import { ReadinessRegistry } from '@latchkey/service-kit';
import { NOTIFICATION_SERVICE_CONFIG, NotificationServiceConfig, notificationConsumerGroup } from '../config/notification-service.config';
import { EventIngestService } from './event-ingest.service';

/** The topics notices come from, in this deployment's namespace. */
export function ingestedTopics(namespace: string): string[] {
  return [Topics.token, Topics.directory, Topics.decision, Topics.usage].map((t) => topicName(t, namespace));
}

/**
 * One work-sharing consumer group for all replicas (each event is handled by one of them), reading a new group's
 * topics from the beginning: the directory's e-mail addresses are needed whenever a token event arrives, and
 * isTooOldToNotify keeps old history from causing notices. Ready once caught up.
 */
@Injectable()
export class EventIngestConsumer implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(EventIngestConsumer.name);
  private subscriber: KafkaSubscriber | null = null;
  private readonly topics: string[];
  private readonly groupId: string;

  constructor(
    private readonly ingest: EventIngestService,
    private readonly readiness: ReadinessRegistry,
    @Inject(NOTIFICATION_SERVICE_CONFIG) private readonly config: NotificationServiceConfig,
  ) {
    this.topics = ingestedTopics(config.LATCHKEY_TOPIC_NAMESPACE);
    this.groupId = notificationConsumerGroup(config.LATCHKEY_TOPIC_NAMESPACE);
  }

  onModuleInit(): void {
    this.readiness.register({
      name: 'event-ingest',
      check: async () => {
        const s = this.subscriber;
        const caughtUp = s?.caughtUp() ?? false;
        const healthy = s?.healthy ?? false;
        return { ok: caughtUp && healthy, detail: { groupId: this.groupId, caughtUp, healthy, ...(s?.lastError ? { lastError: s.lastError } : {}) } };
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    const log: MessagingLogger = { info: (m) => this.logger.log(m), warn: (m) => this.logger.warn(m), error: (m) => this.logger.error(m) };
    const kafka = createKafka({ brokers: this.config.KAFKA_BROKERS, clientId: 'notification-service', logger: log });
    await ensureTopics(kafka, this.topics);
    const subscriber = new KafkaSubscriber({
      kafka,
      groupId: this.groupId,
      topics: this.topics,
      fromBeginning: true,
      sessionTimeout: this.config.LATCHKEY_NOTIFY_SESSION_TIMEOUT_MS,
      logger: log,
      handler: async (m) => {
        await this.ingest.handle(m);
      },
    });
    this.subscriber = subscriber;
    await subscriber.start();
    this.logger.log(`consuming ${this.topics.join(', ')} as group ${this.groupId}`);
  }

  async onModuleDestroy(): Promise<void> {
    const s = this.subscriber;
    this.subscriber = null;
    await s?.stop();
  }
}
