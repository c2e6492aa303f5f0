import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { isTokenUsage, Topics, topicName } from '@latchkey/contracts';
import { createKafka, ensureTopics, IncomingMessage, KafkaSubscriber, MessagingLogger } from '@latchkey/messaging';
import { TOKEN_SERVICE_CONFIG, TokenServiceConfig } from '../config/token-service.config';
import { TokenRepository } from '../tokens/token.repository';

/**
 * Folds `latchkey.usage.v1` (batched by the validators: one message per token per second per replica) into the
 * last-used columns of the projection; no event-store write per request. Batches are applied once by usageId.
 */
@Injectable()
export class UsageConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(UsageConsumer.name);
  private subscriber?: KafkaSubscriber;

  constructor(
    private readonly repository: TokenRepository,
    @Inject(TOKEN_SERVICE_CONFIG) private readonly config: TokenServiceConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const log: MessagingLogger = { info: (m) => this.logger.log(m), warn: (m) => this.logger.warn(m), error: (m) => this.logger.error(m) };
    const kafka = createKafka({ brokers: this.config.KAFKA_BROKERS, clientId: 'token-service-usage', logger: log });
    const ns = this.config.LATCHKEY_TOPIC_NAMESPACE;
    const topic = topicName(Topics.usage, ns);
    await ensureTopics(kafka, [topic]).catch((err: unknown) => this.logger.warn(`could not create ${topic} yet: ${(err as Error).message}`));
    this.subscriber = new KafkaSubscriber({
      kafka,
      groupId: ns ? `latchkey-token-usage-${ns}` : 'latchkey-token-usage',
      topics: [topic],
      fromBeginning: true,
      sessionTimeout: 10_000,
      logger: log,
      handler: (m) => this.apply(m),
    });
    void this.subscriber.start().catch((err: unknown) => this.logger.warn(`usage consumer not started: ${(err as Error).message}`));
  }

  async apply(message: IncomingMessage): Promise<void> {
    let usage: unknown;
    try {
      usage = JSON.parse(message.value);
    } catch {
      usage = undefined;
    }
    if (!isTokenUsage(usage) || !/^[0-9a-f-]{36}$/.test(usage.tokenId) || !Number.isFinite(Date.parse(usage.lastUsedAt))) {
      this.logger.warn(`skipped a usage message that does not match its schema (partition ${message.partition}, offset ${message.offset})`);
      return;
    }
    await this.repository.applyUsage({
      batchId: usage.usageId,
      tokenId: usage.tokenId,
      count: Math.max(0, Math.floor(usage.count)),
      lastUsedAt: new Date(usage.lastUsedAt),
      lastIp: typeof usage.lastIp === 'string' ? usage.lastIp.slice(0, 64) : null,
      userAgent: typeof usage.lastUserAgent === 'string' ? usage.lastUserAgent.slice(0, 512) : null,
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscriber?.stop();
  }
}
