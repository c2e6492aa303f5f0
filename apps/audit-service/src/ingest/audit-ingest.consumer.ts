import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Topics, topicName } from '@latchkey/contracts';
import { ReadinessRegistry } from '@latchkey/service-kit';
import { AUDIT_SERVICE_CONFIG, AuditServiceConfig, auditConsumerGroup } from '../config/audit-service.config';
import { AuditIngestService } from './audit-ingest.service';
import { EVENT_SOURCE, EventSource, EventSubscription } from './event-source.port';

/** The event topics the audit log records, in this deployment's namespace. */
export function auditedTopics(namespace: string): string[] {
  return [Topics.token, Topics.directory, Topics.policy, Topics.decision, Topics.usage, Topics.notification].map((t) => topicName(t, namespace));
}

/** Subscribes the ingest to the event topics for the life of the app; ready once caught up. */
@Injectable()
export class AuditIngestConsumer implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AuditIngestConsumer.name);
  private subscription: EventSubscription | null = null;
  readonly topics: string[];
  readonly groupId: string;

  constructor(
    @Inject(EVENT_SOURCE) private readonly source: EventSource,
    private readonly ingest: AuditIngestService,
    private readonly readiness: ReadinessRegistry,
    @Inject(AUDIT_SERVICE_CONFIG) config: AuditServiceConfig,
  ) {
    this.topics = auditedTopics(config.LATCHKEY_TOPIC_NAMESPACE);
    this.groupId = auditConsumerGroup(config.LATCHKEY_TOPIC_NAMESPACE);
  }

  onModuleInit(): void {
    this.readiness.register({
      name: 'audit-ingest',
      check: async () => {
        const s = this.subscription;
        const caughtUp = s?.caughtUp() ?? false;
        const healthy = s?.healthy ?? false;
        return {
          ok: caughtUp && healthy,
          detail: { groupId: this.groupId, caughtUp, healthy, ...(s?.lastError ? { lastError: s.lastError } : {}) },
        };
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    const subscription = this.source.subscribe({
      groupId: this.groupId,
      topics: this.topics,
      handler: async (messages) => {
        await this.ingest.handle(messages);
      },
    });
    this.subscription = subscription;
    await subscription.start();
    this.logger.log(`consuming ${this.topics.join(', ')} as group ${this.groupId}`);
  }

  async onModuleDestroy(): Promise<void> {
    const s = this.subscription;
    this.subscription = null;
    await s?.stop();
  }
}
