import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { EventEnvelope, isEventEnvelope, isUserEvent, Topics, topicName } from '@latchkey/contracts';
import { ensureTopics, IncomingMessage, KafkaSubscriber } from '@latchkey/messaging';
import { ReadinessRegistry } from '@latchkey/service-kit';
import { VALIDATION_CONFIG, ValidationServiceConfig } from '../config/validation-service.config';
import { ValidationMetrics } from '../metrics/validation.metrics';
import { ReplicaPresenceService } from '../sync/replica-presence.service';
import { KAFKA_CLIENT, nestMessagingLogger } from '../sync/token-sync.consumer';
import { PolicyAccessView } from './policy-access.view';

/**
 * Broadcast consumer of the policy and directory topics (group `latchkey-validation-access-<replicaId>`, from the
 * beginning): keeps this replica's PolicyAccessView. Ready once caught up with both topics. Applying is synchronous
 * and in memory, so a deactivation is in force for the next request once its event is handled.
 */
@Injectable()
export class AccessSyncConsumer implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(AccessSyncConsumer.name);
  private subscriber: KafkaSubscriber | null = null;
  readonly policyTopic: string;
  readonly directoryTopic: string;
  readonly groupId: string;

  constructor(
    @Inject(VALIDATION_CONFIG) config: ValidationServiceConfig,
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    private readonly view: PolicyAccessView,
    private readonly readiness: ReadinessRegistry,
    private readonly metrics: ValidationMetrics,
    private readonly presence: ReplicaPresenceService,
  ) {
    this.policyTopic = topicName(Topics.policy, config.LATCHKEY_TOPIC_NAMESPACE);
    this.directoryTopic = topicName(Topics.directory, config.LATCHKEY_TOPIC_NAMESPACE);
    this.groupId = `latchkey-validation-access-${config.LATCHKEY_REPLICA_ID}`;
  }

  async onModuleInit(): Promise<void> {
    this.readiness.register({
      name: 'policy-and-directory',
      check: async () => {
        const s = this.subscriber;
        const caughtUp = s?.caughtUp() ?? false;
        const healthy = s?.healthy ?? false;
        return {
          ok: caughtUp && healthy,
          detail: { caughtUp, healthy, policyVersion: this.view.policy.version, ...this.view.directory.size, lastError: s?.lastError ?? null },
        };
      },
    });
    await ensureTopics(this.kafka, [this.policyTopic, this.directoryTopic]);
    this.subscriber = new KafkaSubscriber({
      kafka: this.kafka,
      groupId: this.groupId,
      topics: [this.policyTopic, this.directoryTopic],
      fromBeginning: true,
      sessionTimeout: 6_000,
      handler: this.handle,
      logger: nestMessagingLogger(this.logger),
    });
    await this.subscriber.start();
    this.logger.log(`consuming ${this.policyTopic} and ${this.directoryTopic} as ${this.groupId}`);
  }

  readonly handle = async (message: IncomingMessage): Promise<void> => {
    const event = this.decode(message);
    if (!event) return;
    if (message.topic === this.policyTopic) {
      if (this.view.applyPolicyEvent(event)) this.logger.log(`policy version ${this.view.policy.version} in force`);
    } else if (this.view.applyDirectoryEvent(event) && isUserEvent(event)) {
      // the same acknowledgement a token event gets: whoever deactivated the user can wait for every replica
      this.presence.applied(event);
    }
  };

  caughtUp(): boolean {
    return this.subscriber?.caughtUp() ?? false;
  }

  async beforeApplicationShutdown(): Promise<void> {
    const s = this.subscriber;
    this.subscriber = null;
    await s?.stop();
  }

  private decode(message: IncomingMessage): EventEnvelope | null {
    try {
      const value: unknown = JSON.parse(message.value);
      if (isEventEnvelope(value)) return value;
    } catch {
      // counted below
    }
    this.metrics.eventsSkipped.inc({ reason: 'not-a-policy-or-directory-event' });
    this.logger.warn(`skipped ${message.topic}[${message.partition}]@${message.offset}: not an event`);
    return null;
  }
}
