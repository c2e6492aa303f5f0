import { Admin, Consumer, IHeaders, Kafka } from 'kafkajs';
import { IncomingMessage, MessageHandler } from '../event-subscriber.port';
import { consoleLogger, errorMessage, MessagingLogger } from '../logger';

export interface KafkaSubscriberOptions {
  kafka: Kafka;
  /**
   * Broadcast: a unique id per replica (and fromBeginning: true), so every replica sees every event.
   * Work-sharing: one fixed id, so the group splits the partitions.
   */
  groupId: string;
  topics: string[];
  /**
   * Where a group with no committed offset starts. Prefer true: a new group "at latest" only resolves that
   * position after run() has returned, and skips what is published meanwhile (kafkajs #1629).
   */
  fromBeginning: boolean;
  /** 6000..30000 ms (broker limits). A member killed without leaving stalls its group this long. Default 10 s. */
  sessionTimeout?: number;
  handler: MessageHandler;
  logger?: MessagingLogger;
  /**
   * How often the handled positions are committed (default 1000 ms), in the background. kafkajs' auto-commit
   * awaits a commit round trip after every batch before it fetches again, and a message produced meanwhile waited
   * for it (heartbeats alone make three batches a second on the token topic). A restart or a rebalance delivers
   * again what was handled since the last commit: at-least-once, as before.
   */
  commitIntervalMs?: number;
}

interface PartitionProgress {
  topic: string;
  partition: number;
  /** high watermark recorded at start: the offset after the last message that existed then */
  end: bigint;
  low: bigint;
  /** next offset this subscriber has to process (handled messages, or the group's committed offset) */
  position: bigint;
}

/** Thrown on the handler's behalf: a plain, retriable error, so kafkajs retries (and restarts) rather than dying. */
class MessageHandlerFailedError extends Error {
  readonly retriable = true;
  constructor(message: string) {
    super(message);
    this.name = 'MessageHandlerFailedError';
  }
}

const key = (topic: string, partition: number) => `${topic}:${partition}`;
/** how long stop() waits for the last commit before it leaves the group anyway */
const FINAL_COMMIT_TIMEOUT_MS = 3_000;

/**
 * Kafka consumer with catch-up tracking: at start it records the end offset of every partition of its topics;
 * caughtUp() is true once every (assigned) partition has been processed up to that end. A failing handler is
 * logged and the message retried (kafkajs retry, then a consumer restart), never skipped. Handled positions are
 * committed in the background (commitIntervalMs) and at stop().
 */
export class KafkaSubscriber {
  private readonly logger: MessagingLogger;
  private consumer: Consumer | null = null;
  private admin: Admin | null = null;
  private readonly progress = new Map<string, PartitionProgress>();
  /** partitions assigned to this member; null until the first group join */
  private assigned: Set<string> | null = null;
  /** the group's committed offsets have been read after the latest join */
  private committedKnown = false;
  private readonly waiters = new Set<() => void>();
  /** the position last committed per partition (by this subscriber, or read after a join) */
  private readonly committed = new Map<string, bigint>();
  private commitTimer: NodeJS.Timeout | null = null;
  private committing: Promise<void> | null = null;
  private _healthy = false;
  private _lastError: string | null = null;

  constructor(private readonly options: KafkaSubscriberOptions) {
    this.logger = options.logger ?? consoleLogger;
  }

  get healthy(): boolean {
    return this._healthy;
  }

  get lastError(): string | null {
    return this._lastError;
  }

  async start(): Promise<void> {
    if (this.consumer) return;
    const { kafka, groupId, topics, fromBeginning } = this.options;
    const sessionTimeout = Math.min(30_000, Math.max(6_000, this.options.sessionTimeout ?? 10_000));

    this.admin = kafka.admin();
    await this.admin.connect();
    for (const topic of topics) {
      for (const p of await this.admin.fetchTopicOffsets(topic)) {
        const low = BigInt(p.low);
        this.progress.set(key(topic, p.partition), { topic, partition: p.partition, end: BigInt(p.high), low, position: low });
      }
    }

    const consumer = kafka.consumer({
      groupId,
      sessionTimeout,
      heartbeatInterval: Math.min(3_000, Math.floor(sessionTimeout / 3)),
      // a fetch still answers as soon as a message arrives; this bounds how long stop() waits for an idle one
      maxWaitTimeInMs: 1_000,
      retry: { initialRetryTime: 300, maxRetryTime: 5_000, retries: 8 },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      this._healthy = true;
      this.assigned = new Set(
        Object.entries(e.payload.memberAssignment).flatMap(([topic, partitions]) =>
          partitions.map((p) => key(topic, p)),
        ),
      );
      this.committedKnown = false;
      void this.readCommitted();
    });
    consumer.on(consumer.events.CRASH, (e) => {
      this._lastError = errorMessage(e.payload.error);
      this._healthy = e.payload.restart;
      const what = e.payload.restart ? 'restarting' : 'stopped for good';
      this.logger.error(`consumer ${groupId} crashed, ${what}: ${this._lastError}`);
    });

    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning });
    await consumer.run({
      autoCommit: false, // see commitIntervalMs
      eachMessage: async ({ topic, partition, message }) => {
        const incoming: IncomingMessage = {
          topic,
          partition,
          offset: message.offset,
          key: message.key ? message.key.toString() : null,
          value: message.value ? message.value.toString() : '',
          headers: toStringHeaders(message.headers),
        };
        try {
          await this.options.handler(incoming);
        } catch (err) {
          this._lastError = errorMessage(err);
          this.logger.warn(
            `handler failed on ${topic}[${partition}]@${message.offset} (group ${groupId}), will retry: ${this._lastError}`,
          );
          throw new MessageHandlerFailedError(this._lastError);
        }
        this.advance(topic, partition, BigInt(message.offset) + 1n);
      },
    });
    this.commitTimer = setInterval(() => void this.commit(), this.options.commitIntervalMs ?? 1_000);
    this.commitTimer.unref();
  }

  async stop(): Promise<void> {
    if (this.commitTimer) clearInterval(this.commitTimer);
    this.commitTimer = null;
    // while the consumer still runs (kafkajs drops commits after that); whatever is handled later is delivered again
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.commit(), new Promise<void>((resolve) => (timer = setTimeout(resolve, FINAL_COMMIT_TIMEOUT_MS)))]);
    clearTimeout(timer);
    const consumer = this.consumer;
    const admin = this.admin;
    this.consumer = null;
    this.admin = null;
    this._healthy = false;
    // disconnect sends LeaveGroup, so the rest of the group rebalances at once instead of after the session timeout
    await consumer?.disconnect().catch((err: unknown) => this.logger.warn(`consumer disconnect: ${errorMessage(err)}`));
    await admin?.disconnect().catch(() => undefined);
  }

  /** true once every assigned partition is processed up to the end recorded at start (at once if all were empty) */
  caughtUp(): boolean {
    const entries = [...this.progress];
    const isEmpty = (p: PartitionProgress) => p.end <= p.low;
    if (entries.every(([, p]) => isEmpty(p))) return true;
    if (!this.assigned || !this.committedKnown) return false;
    return entries.every(([k, p]) => !this.assigned?.has(k) || isEmpty(p) || p.position >= p.end);
  }

  whenCaughtUp(timeoutMs: number): Promise<void> {
    if (this.caughtUp()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!this.caughtUp()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`subscriber ${this.options.groupId} not caught up after ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  /** commits the positions handled since the last commit of the assigned partitions; one commit at a time */
  private commit(): Promise<void> {
    if (this.committing) return this.committing;
    const consumer = this.consumer;
    const due = [...this.progress].filter(([k, p]) => this.assigned?.has(k) && p.position > (this.committed.get(k) ?? -1n));
    if (!consumer || due.length === 0) return Promise.resolve();
    const offsets = due.map(([k, p]) => ({ k, topic: p.topic, partition: p.partition, position: p.position }));
    this.committing = consumer
      .commitOffsets(offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.position.toString() })))
      .then(
        () => {
          for (const o of offsets) if (o.position > (this.committed.get(o.k) ?? -1n)) this.committed.set(o.k, o.position);
        },
        (err: unknown) => this.logger.warn(`could not commit the offsets of ${this.options.groupId} (delivered again after a restart): ${errorMessage(err)}`),
      )
      .finally(() => (this.committing = null));
    return this.committing;
  }

  private advance(topic: string, partition: number, position: bigint): void {
    const p = this.progress.get(key(topic, partition));
    if (p && position > p.position) p.position = position;
    this.notify();
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  /** after a join, a partition's committed offset may already be at or past the recorded end */
  private async readCommitted(): Promise<void> {
    const admin = this.admin;
    if (!admin) return;
    for (let attempt = 1; attempt <= 5 && this.admin === admin; attempt++) {
      try {
        const committed = await admin.fetchOffsets({ groupId: this.options.groupId, topics: this.options.topics });
        for (const { topic, partitions } of committed) {
          for (const { partition, offset } of partitions) {
            const p = this.progress.get(key(topic, partition));
            if (!p) continue;
            const value = BigInt(offset);
            if (value >= 0n && value > (this.committed.get(key(topic, partition)) ?? -1n)) this.committed.set(key(topic, partition), value);
            // no committed offset and starting at latest: everything before the join is skipped by design
            const start = value >= 0n ? value : this.options.fromBeginning ? p.low : p.end;
            if (start > p.position) p.position = start;
          }
        }
        this.committedKnown = true;
        this.notify();
        return;
      } catch (err) {
        this.logger.warn(`could not read committed offsets of ${this.options.groupId}: ${errorMessage(err)}`);
        await new Promise((r) => setTimeout(r, 500 * attempt));
      }
    }
  }
}

function toStringHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[name] = first.toString();
  }
  return out;
}
