import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { AppliedEventNotice, appliedChannel, EventEnvelope, REPLICA_LIVENESS_MS, replicasKey, revocationChannel, RevocationAck } from '@latchkey/contracts';
import { TOKEN_SERVICE_CONFIG, TokenServiceConfig } from '../config/token-service.config';
import { AppliedEventsTracker } from './applied-events.tracker';
import { RevocationAcknowledgements } from './revocation-acknowledgements.port';

/**
 * Redis driver: revocations are announced on the revocation channel; live replicas are the members of the
 * replicas sorted set seen within REPLICA_LIVENESS_MS; confirmations arrive on the applied-events channel, to
 * which this service stays subscribed.
 */
@Injectable()
export class RedisRevocationAcknowledgements implements RevocationAcknowledgements, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('RevocationAcks');
  private readonly tracker = new AppliedEventsTracker();
  private readonly commands: Redis;
  private readonly subscriber: Redis;

  constructor(@Inject(TOKEN_SERVICE_CONFIG) private readonly config: TokenServiceConfig) {
    const options = { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true, connectTimeout: 2000 };
    this.commands = new Redis(config.REDIS_URL, options);
    this.subscriber = new Redis(config.REDIS_URL, { ...options, maxRetriesPerRequest: null, enableOfflineQueue: true });
    for (const r of [this.commands, this.subscriber]) r.on('error', (err: Error) => this.logger.warn(`redis: ${err.message}`));
  }

  async onModuleInit(): Promise<void> {
    this.subscriber.on('message', (_channel: string, message: string) => {
      try {
        const notice = JSON.parse(message) as AppliedEventNotice;
        if (typeof notice.eventId === 'string' && typeof notice.replicaId === 'string') this.tracker.record(notice, Date.now());
      } catch {
        this.logger.warn('ignored an applied-event notice that is not JSON');
      }
    });
    await Promise.all([this.commands.connect(), this.subscriber.connect()]).catch((err: Error) => this.logger.warn(`redis not reachable yet: ${err.message}`));
    await this.subscriber.subscribe(appliedChannel(this.config.LATCHKEY_TOPIC_NAMESPACE)).catch((err: Error) => this.logger.warn(`subscribe failed: ${err.message}`));
  }

  announce(events: EventEnvelope[]): void {
    if (events.length === 0) return;
    const channel = revocationChannel(this.config.LATCHKEY_TOPIC_NAMESPACE);
    const pipeline = this.commands.pipeline();
    for (const event of events) pipeline.publish(channel, JSON.stringify(event));
    pipeline.exec().catch((err: Error) => this.logger.warn(`revocation not announced (the token topic still delivers it): ${err.message}`));
  }

  async waitFor(eventIds: string[], boundMs: number): Promise<RevocationAck> {
    const started = Date.now();
    let replicas: string[];
    try {
      replicas = await this.commands.zrangebyscore(replicasKey(this.config.LATCHKEY_TOPIC_NAMESPACE), started - REPLICA_LIVENESS_MS, '+inf');
    } catch (err) {
      // the revoke itself is done and durable; only its confirmation is unknown
      this.logger.warn(`cannot read live replicas: ${(err as Error).message}`);
      return { replicas: 0, confirmed: 0, waitedMs: Date.now() - started };
    }
    return this.tracker.wait(eventIds, replicas, boundMs, started, Date.now);
  }

  async onApplicationShutdown(): Promise<void> {
    this.commands.disconnect();
    this.subscriber.disconnect();
  }
}
