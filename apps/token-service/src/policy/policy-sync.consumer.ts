import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EventEnvelope, isEventEnvelope, isUserEvent, Topics, topicName, UserEvent } from '@latchkey/contracts';
import { createKafka, ensureTopics, IncomingMessage, KafkaSubscriber, MessagingLogger } from '@latchkey/messaging';
import { ReadinessRegistry } from '@latchkey/service-kit';
import { TOKEN_SERVICE_CONFIG, TokenServiceConfig } from '../config/token-service.config';
import { TokensService } from '../tokens/tokens.service';
import { PolicyView } from './policy-view';

function decode(message: IncomingMessage): EventEnvelope | null {
  try {
    const value: unknown = JSON.parse(message.value);
    return isEventEnvelope(value) ? value : null;
  } catch {
    return null;
  }
}

/**
 * Two consumers of the policy and directory topics:
 * - broadcast (a group per process, from the beginning): keeps this replica's PolicyView; ready once caught up;
 * - work-sharing (one group): side effects that must happen once, i.e. revoking a deactivated user's tokens
 *   when the policy's deactivation mode is `revoked` (only tokens created before the deactivation, so a
 *   replayed event never touches tokens issued after a reactivation).
 */
@Injectable()
export class PolicySyncConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PolicySyncConsumer.name);
  private state?: KafkaSubscriber;
  private effects?: KafkaSubscriber;

  constructor(
    private readonly view: PolicyView,
    private readonly tokens: TokensService,
    @Inject(TOKEN_SERVICE_CONFIG) private readonly config: TokenServiceConfig,
    readiness: ReadinessRegistry,
  ) {
    readiness.register({ name: 'policy-and-directory', check: async () => ({ ok: this.state?.caughtUp() ?? false, detail: { ...this.view.directory.size, policyVersion: this.view.policy.version } }) });
  }

  async onApplicationBootstrap(): Promise<void> {
    const log: MessagingLogger = { info: (m) => this.logger.log(m), warn: (m) => this.logger.warn(m), error: (m) => this.logger.error(m) };
    const kafka = createKafka({ brokers: this.config.KAFKA_BROKERS, clientId: 'token-service-policy', logger: log });
    const ns = this.config.LATCHKEY_TOPIC_NAMESPACE;
    const policyTopic = topicName(Topics.policy, ns);
    const directoryTopic = topicName(Topics.directory, ns);
    await ensureTopics(kafka, [policyTopic, directoryTopic]).catch((err: unknown) => this.logger.warn(`could not create topics yet: ${(err as Error).message}`));
    this.state = new KafkaSubscriber({
      kafka,
      groupId: `latchkey-token-policy-${ns || 'default'}-${randomUUID()}`,
      topics: [policyTopic, directoryTopic],
      fromBeginning: true,
      sessionTimeout: 6000,
      logger: log,
      handler: async (m) => {
        const event = decode(m);
        if (!event) return;
        if (m.topic === policyTopic) this.view.applyPolicyEvent(event);
        else this.view.applyDirectoryEvent(event);
      },
    });
    this.effects = new KafkaSubscriber({
      kafka,
      groupId: ns ? `latchkey-token-deactivation-${ns}` : 'latchkey-token-deactivation',
      topics: [directoryTopic],
      fromBeginning: true,
      sessionTimeout: 10_000,
      logger: log,
      handler: async (m) => {
        const event = decode(m);
        if (event && isUserEvent(event)) await this.onUserEvent(event);
      },
    });
    await this.state.start();
    void this.effects.start().catch((err: unknown) => this.logger.warn(`deactivation consumer not started: ${(err as Error).message}`));
  }

  private async onUserEvent(event: UserEvent): Promise<void> {
    if (event.type !== 'UserDeactivated') return;
    const data = event.data as { tokens?: string };
    if (data.tokens !== 'revoked') return;
    const revoked = await this.tokens.revokeForDeactivatedOwner([event.state.userName, event.state.id], new Date(event.occurredAt));
    if (revoked > 0) this.logger.log(`revoked ${revoked} token(s) of deactivated user ${event.state.userName}`);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.state?.stop(), this.effects?.stop()]);
  }
}
