import { AppliedEventNotice, appliedChannel, REPLICA_HEARTBEAT_MS, replicasKey } from '@latchkey/contracts';

/** The few Redis commands presence needs (ioredis fits). */
export interface PresenceRedis {
  zadd(key: string, score: number, member: string): Promise<unknown>;
  zrem(key: string, member: string): Promise<unknown>;
  publish(channel: string, message: string): Promise<unknown>;
}

export interface ReplicaPresenceOptions {
  namespace: string;
  replicaId: string;
  /** only a replica that is caught up and current is counted live (a revoke need not wait for the others) */
  isLive: () => boolean;
  /** events that occurred longer ago than this are replays: no notice */
  replayAgeMs?: number;
  now?: () => number;
  onError?: (what: string, err: unknown) => void;
}

/**
 * The replica side of acknowledged revocation (libs/contracts replicas.ts): announces this replica in the replicas
 * sorted set every second while it is live (removes it while it is not, and at shutdown), and publishes an
 * AppliedEventNotice after each token event it applied. Never awaited by the event handler: Redis trouble must not
 * hold back the topic.
 */
export class ReplicaPresence {
  private readonly key: string;
  private readonly channel: string;
  private readonly replayAgeMs: number;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  private announced = false;

  constructor(
    private readonly redis: PresenceRedis,
    private readonly options: ReplicaPresenceOptions,
  ) {
    this.key = replicasKey(options.namespace);
    this.channel = appliedChannel(options.namespace);
    this.replayAgeMs = options.replayAgeMs ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  start(intervalMs = REPLICA_HEARTBEAT_MS): void {
    void this.beat();
    this.timer = setInterval(() => void this.beat(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.redis.zrem(this.key, this.options.replicaId).catch((err: unknown) => this.options.onError?.('zrem', err));
    this.announced = false;
  }

  /** one liveness beat: ZADD while live, ZREM once when it stops being live */
  async beat(): Promise<void> {
    try {
      if (this.options.isLive()) {
        await this.redis.zadd(this.key, this.now(), this.options.replicaId);
        this.announced = true;
      } else if (this.announced) {
        await this.redis.zrem(this.key, this.options.replicaId);
        this.announced = false;
      }
    } catch (err) {
      this.options.onError?.('liveness', err);
    }
  }

  /** after a token event is applied in memory; resolves whether or not the notice went out */
  applied(event: { eventId: string; aggregateId: string; version: number; occurredAt: string }): Promise<void> {
    const occurred = Date.parse(event.occurredAt);
    if (Number.isFinite(occurred) && this.now() - occurred > this.replayAgeMs) return Promise.resolve();
    const notice: AppliedEventNotice = {
      replicaId: this.options.replicaId,
      eventId: event.eventId,
      aggregateId: event.aggregateId,
      version: event.version,
    };
    return this.redis.publish(this.channel, JSON.stringify(notice)).then(
      () => undefined,
      (err: unknown) => this.options.onError?.('publish', err),
    );
  }
}
