import { hostname } from 'node:os';
import { Inject, Injectable, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { HEARTBEAT_INTERVAL_MS, Topics, topicName } from '@latchkey/contracts';
import { createKafka, MessagingLogger } from '@latchkey/messaging';
import { TOKEN_SERVICE_CONFIG, TokenServiceConfig } from '../config/token-service.config';
import { HeartbeatSender } from './heartbeat.sender';
import { KafkaHeartbeatTransport } from './kafka-heartbeat.transport';

const FAILURE_LOG_EVERY_MS = 10_000;

/**
 * Sends a heartbeat to every partition of the token topic every second, so validation replicas can prove they are
 * current (bounded staleness). Heartbeats are not events: they are never stored.
 */
@Injectable()
export class HeartbeatService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(HeartbeatService.name);
  private readonly transport: KafkaHeartbeatTransport;
  private readonly sender: HeartbeatSender;
  private timer: NodeJS.Timeout | null = null;
  private lastFailureLog = 0;

  constructor(@Inject(TOKEN_SERVICE_CONFIG) config: TokenServiceConfig) {
    const log: MessagingLogger = { info: () => undefined, warn: (m) => this.logger.warn(m), error: (m) => this.logger.warn(m) };
    const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'token-service-heartbeat', logger: log });
    this.transport = new KafkaHeartbeatTransport(kafka, topicName(Topics.token, config.LATCHKEY_TOPIC_NAMESPACE));
    this.sender = new HeartbeatSender(`token-service@${hostname()}:${process.pid}`, this.transport, Date.now, (message) => {
      const now = Date.now();
      if (now - this.lastFailureLog < FAILURE_LOG_EVERY_MS) return;
      this.lastFailureLog = now;
      this.logger.warn(`heartbeat not sent: ${message}`);
    });
  }

  onApplicationBootstrap(): void {
    void this.sender.tick();
    this.timer = setInterval(() => void this.sender.tick(), HEARTBEAT_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.transport.close();
  }
}

@Module({ providers: [HeartbeatService] })
export class HeartbeatModule {}
