import { Logger } from '@nestjs/common';
import { Admin, Consumer, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { createKafka, ensureTopics, IncomingMessage, MessagingLogger } from '@latchkey/messaging';
import { EventSource, EventSubscription, SubscriptionOptions } from '../event-source.port';

interface Progress {
  /** high watermark at start */
  end: bigint;
  low: bigint;
  /** next offset to process */
  position: bigint;
}

const key = (topic: string, partition: number) => `${topic}:${partition}`;
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export interface KafkaBatchOptions {
  brokers: string[];
  clientId: string;
  /** at most this many messages per handler call (a Kafka fetch is split) */
  maxBatch: number;
  sessionTimeoutMs: number;
  concurrentPartitions: number;
}

/**
 * Kafka driver of EventSource that hands over whole fetched batches (one partition at a time), so the ingest can
 * append hundreds of entries per transaction. Offsets are resolved only after the handler resolved, and committed
 * after that: a crash or SIGTERM redelivers at most the unfinished batch, which the ingest deduplicates.
 * A new group reads every topic from the beginning (the audit trail cannot start "at latest", kafkajs #1629).
 */
export class KafkaBatchEventSource implements EventSource {
  private readonly logger = new Logger(KafkaBatchEventSource.name);
  private readonly log: MessagingLogger = {
    info: (m) => this.logger.log(m),
    warn: (m) => this.logger.warn(m),
    error: (m) => this.logger.error(m),
  };

  constructor(private readonly options: KafkaBatchOptions) {}

  subscribe(sub: SubscriptionOptions): EventSubscription {
    const kafka = createKafka({ brokers: this.options.brokers, clientId: this.options.clientId, logger: this.log });
    return new KafkaBatchSubscription(kafka, sub, this.options, this.log);
  }
}

class KafkaBatchSubscription implements EventSubscription {
  private consumer: Consumer | null = null;
  private admin: Admin | null = null;
  private readonly progress = new Map<string, Progress>();
  private assigned: Set<string> | null = null;
  private committedKnown = false;
  private _healthy = false;
  private _lastError: string | null = null;

  constructor(
    private readonly kafka: Kafka,
    private readonly sub: SubscriptionOptions,
    private readonly options: KafkaBatchOptions,
    private readonly log: MessagingLogger,
  ) {}

  get healthy(): boolean {
    return this._healthy;
  }

  get lastError(): string | null {
    return this._lastError;
  }

  async start(): Promise<void> {
    if (this.consumer) return;
    const { groupId, topics, handler } = this.sub;
    await ensureTopics(this.kafka, topics);
    this.admin = this.kafka.admin();
    await this.admin.connect();
    await this.recordEnds(topics);
    const sessionTimeout = this.options.sessionTimeoutMs;
    const consumer = this.kafka.consumer({
      groupId,
      sessionTimeout,
      heartbeatInterval: Math.min(3_000, Math.floor(sessionTimeout / 3)),
      maxBytesPerPartition: 4 * 1024 * 1024,
      maxWaitTimeInMs: 100,
      retry: { initialRetryTime: 300, maxRetryTime: 5_000, retries: 8 },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      this._healthy = true;
      this.assigned = new Set(
        Object.entries(e.payload.memberAssignment).flatMap(([topic, partitions]) => partitions.map((p) => key(topic, p))),
      );
      this.committedKnown = false;
      void this.readCommitted();
    });
    consumer.on(consumer.events.CRASH, (e) => {
      this._lastError = message(e.payload.error);
      this._healthy = e.payload.restart;
      this.log.error(`consumer ${groupId} crashed, ${e.payload.restart ? 'restarting' : 'stopped for good'}: ${this._lastError}`);
    });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      // partitions are handled concurrently so the ingest can append their batches in one transaction
      partitionsConsumedConcurrently: this.options.concurrentPartitions,
      eachBatchAutoResolve: false,
      autoCommitInterval: 1_000,
      eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
        const all = batch.messages;
        for (let i = 0; i < all.length && isRunning() && !isStale(); i += this.options.maxBatch) {
          const chunk = all.slice(i, i + this.options.maxBatch);
          try {
            await handler(chunk.map((m) => toIncoming(batch.topic, batch.partition, m)));
          } catch (err) {
            this._lastError = message(err);
            this.log.warn(`ingest failed on ${batch.topic}[${batch.partition}] (group ${groupId}), will retry: ${this._lastError}`);
            throw err;
          }
          const last = chunk[chunk.length - 1].offset;
          resolveOffset(last);
          this.advance(batch.topic, batch.partition, BigInt(last) + 1n);
          await heartbeat();
          await commitOffsetsIfNecessary();
        }
      },
    });
  }

  /** the end of every partition now; retried, as fresh topics may briefly answer "not the leader" */
  private async recordEnds(topics: string[]): Promise<void> {
    const admin = this.admin;
    for (let attempt = 1; admin; attempt++) {
      try {
        for (const topic of topics) {
          for (const p of await admin.fetchTopicOffsets(topic)) {
            const low = BigInt(p.low);
            this.progress.set(key(topic, p.partition), { end: BigInt(p.high), low, position: low });
          }
        }
        return;
      } catch (err) {
        if (attempt >= 10) throw err;
        this.log.warn(`reading topic offsets failed (attempt ${attempt}), retrying: ${message(err)}`);
        await new Promise((r) => setTimeout(r, 300 * attempt));
      }
    }
  }

  async stop(): Promise<void> {
    const consumer = this.consumer;
    const admin = this.admin;
    this.consumer = null;
    this.admin = null;
    this._healthy = false;
    // disconnect lets the running batch finish, commits resolved offsets and leaves the group
    await consumer?.disconnect().catch((err: unknown) => this.log.warn(`consumer disconnect: ${message(err)}`));
    await admin?.disconnect().catch(() => undefined);
  }

  caughtUp(): boolean {
    const entries = [...this.progress];
    const isEmpty = (p: Progress) => p.end <= p.low;
    if (entries.every(([, p]) => isEmpty(p))) return true;
    if (!this.assigned || !this.committedKnown) return false;
    return entries.every(([k, p]) => !this.assigned?.has(k) || isEmpty(p) || p.position >= p.end);
  }

  private advance(topic: string, partition: number, position: bigint): void {
    const p = this.progress.get(key(topic, partition));
    if (p && position > p.position) p.position = position;
  }

  private async readCommitted(): Promise<void> {
    const admin = this.admin;
    for (let attempt = 1; admin && attempt <= 5 && this.admin === admin; attempt++) {
      try {
        const committed = await admin.fetchOffsets({ groupId: this.sub.groupId, topics: this.sub.topics });
        for (const { topic, partitions } of committed) {
          for (const { partition, offset } of partitions) {
            const p = this.progress.get(key(topic, partition));
            const value = BigInt(offset);
            if (p && value >= 0n && value > p.position) p.position = value;
          }
        }
        this.committedKnown = true;
        return;
      } catch (err) {
        this.log.warn(`could not read committed offsets of ${this.sub.groupId}: ${message(err)}`);
        await new Promise((r) => setTimeout(r, 500 * attempt));
      }
    }
  }
}

function toIncoming(topic: string, partition: number, m: KafkaMessage): IncomingMessage {
  return {
    topic,
    partition,
    offset: m.offset,
    key: m.key ? m.key.toString() : null,
    value: m.value ? m.value.toString() : '',
    headers: toStringHeaders(m.headers),
  };
}

function toStringHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[name] = first.toString();
  }
  return out;
}
