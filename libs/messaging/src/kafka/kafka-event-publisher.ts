import { CompressionTypes, Kafka, Producer } from 'kafkajs';
import { EventPublisher, OutgoingMessage } from '../event-publisher.port';

export interface KafkaEventPublisherOptions {
  /** broker-side wait for the acks of one send (default 10 s) */
  ackTimeoutMs?: number;
}

/**
 * Kafka driver of EventPublisher. acks = all and an idempotent producer, so a retried send neither loses nor
 * duplicates within a partition. Retries are bounded (see createKafka) so a send fails within seconds while the
 * broker is down; the caller (the outbox relay) backs off and tries again, and kafkajs reconnects on that call.
 */
export class KafkaEventPublisher implements EventPublisher {
  private readonly producer: Producer;
  private connected: Promise<void> | null = null;

  constructor(
    kafka: Kafka,
    private readonly options: KafkaEventPublisherOptions = {},
  ) {
    this.producer = kafka.producer({
      allowAutoTopicCreation: false,
      idempotent: true,
      // idempotence needs a single in-flight request to keep order across retries
      maxInFlightRequests: 1,
      retry: { initialRetryTime: 200, maxRetryTime: 1_000, retries: 2 },
    });
  }

  async connect(): Promise<void> {
    if (!this.connected) {
      this.connected = this.producer.connect().catch((err: unknown) => {
        this.connected = null;
        throw err;
      });
    }
    await this.connected;
  }

  async disconnect(): Promise<void> {
    if (!this.connected) return;
    this.connected = null;
    await this.producer.disconnect();
  }

  async publish(messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.connect();
    // grouped by topic, keeping the given order within each topic (and so within each key)
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const m of messages) {
      const list = byTopic.get(m.topic) ?? [];
      list.push(m);
      byTopic.set(m.topic, list);
    }
    await this.producer.sendBatch({
      acks: -1,
      timeout: this.options.ackTimeoutMs ?? 10_000,
      compression: CompressionTypes.None,
      topicMessages: [...byTopic].map(([topic, list]) => ({
        topic,
        messages: list.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
      })),
    });
  }
}
