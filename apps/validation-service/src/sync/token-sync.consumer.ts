import { Inject, Injectable, Logger, BeforeApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { Topics, topicName } from '@latchkey/contracts';
import { ensureTopics, KafkaSubscriber, MessagingLogger } from '@latchkey/messaging';
import { ReadinessRegistry } from '@latchkey/service-kit';
import { VALIDATION_CONFIG, ValidationServiceConfig } from '../config/validation-service.config';
import { TokenEventApplier } from './token-event.applier';

export const KAFKA_CLIENT = Symbol('KAFKA_CLIENT');

export function nestMessagingLogger(logger: Logger): MessagingLogger {
  return { info: (m) => logger.log(m), warn: (m) => logger.warn(m), error: (m) => logger.error(m) };
}

/**
 * Broadcast consumer of the token topic: one group per replica (`latchkey-validation-<replicaId>`), from the
 * beginning, so every replica applies every event. Ready once it has caught up with the topic.
 */
@Injectable()
export class TokenSyncConsumer implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(TokenSyncConsumer.name);
  private subscriber: KafkaSubscriber | null = null;
  readonly topic: string;
  readonly groupId: string;

  constructor(
    @Inject(VALIDATION_CONFIG) config: ValidationServiceConfig,
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    private readonly applier: TokenEventApplier,
    private readonly readiness: ReadinessRegistry,
  ) {
    this.topic = topicName(Topics.token, config.LATCHKEY_TOPIC_NAMESPACE);
    this.groupId = `latchkey-validation-${config.LATCHKEY_REPLICA_ID}`;
  }

  async onModuleInit(): Promise<void> {
    this.readiness.register({
      name: 'token-topic',
      check: async () => {
        const s = this.subscriber;
        const caughtUp = s?.caughtUp() ?? false;
        const healthy = s?.healthy ?? false;
        return { ok: caughtUp && healthy, detail: { caughtUp, healthy, lastError: s?.lastError ?? null } };
      },
    });
    await ensureTopics(this.kafka, [this.topic]);
    this.subscriber = new KafkaSubscriber({
      kafka: this.kafka,
      groupId: this.groupId,
      topics: [this.topic],
      fromBeginning: true,
      sessionTimeout: 6_000,
      handler: this.applier.handle,
      logger: nestMessagingLogger(this.logger),
    });
    await this.subscriber.start();
    this.logger.log(`consuming ${this.topic} as ${this.groupId}`);
  }

  caughtUp(): boolean {
    return this.subscriber?.caughtUp() ?? false;
  }

  whenCaughtUp(timeoutMs: number): Promise<void> {
    if (!this.subscriber) return Promise.reject(new Error('token sync not started'));
    return this.subscriber.whenCaughtUp(timeoutMs);
  }

  // before Redis closes (onApplicationShutdown), so no event is half-applied
  async beforeApplicationShutdown(): Promise<void> {
    const s = this.subscriber;
    this.subscriber = null;
    await s?.stop();
    await this.applier.flush();
  }
}
