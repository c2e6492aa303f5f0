import type { Admin, Kafka, Producer } from 'kafkajs';
import type { HeartbeatMessage, HeartbeatTransport } from './heartbeat.sender';

const METADATA_REFRESH_MS = 30_000;

/** Kafka driver of HeartbeatTransport: explicit partitions, acks from the leader only (a lost beat is harmless). */
export class KafkaHeartbeatTransport implements HeartbeatTransport {
  private readonly producer: Producer;
  private readonly admin: Admin;
  private connected: Promise<void> | null = null;
  private partitionCount = 0;
  private partitionsFetchedAt = 0;

  constructor(
    kafka: Kafka,
    private readonly topic: string,
  ) {
    this.producer = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
    this.admin = kafka.admin();
  }

  private connect(): Promise<void> {
    this.connected ??= Promise.all([this.producer.connect(), this.admin.connect()]).then(
      () => undefined,
      (err: unknown) => {
        this.connected = null;
        throw err;
      },
    );
    return this.connected;
  }

  async partitions(): Promise<number> {
    await this.connect();
    if (this.partitionCount === 0 || Date.now() - this.partitionsFetchedAt > METADATA_REFRESH_MS) {
      const { topics } = await this.admin.fetchTopicMetadata({ topics: [this.topic] });
      this.partitionCount = topics[0]?.partitions.length ?? 0;
      this.partitionsFetchedAt = Date.now();
    }
    return this.partitionCount;
  }

  async send(messages: HeartbeatMessage[]): Promise<void> {
    await this.connect();
    await this.producer.send({
      topic: this.topic,
      acks: 1,
      timeout: 2_000,
      messages: messages.map((m) => ({ partition: m.partition, key: m.key, value: m.value, headers: m.headers })),
    });
  }

  async close(): Promise<void> {
    this.connected = null;
    await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect()]);
  }
}
