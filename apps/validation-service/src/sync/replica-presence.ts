import { AppliedEventNotice, appliedChannel, REPLICA_HEARTBEAT_MS, replicasKey } from '@latchkey/contracts';

/** how often a live replica that is not announced yet retries (ms) */
export const ANNOUNCE_POLL_MS = 100;

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
 * sorted set as soon as it is live (a beat every 100 ms until announced), then every second while it is live (removes
 * it while it is not, and at shutdown), and publishes an AppliedEventNotice after each token event it applied. Never awaited by the event handler: Redis trouble must not
 * hold back the topic.
 */
export class ReplicaPresence {
  private readonly key: string;
  private readonly channel: string;
  private readonly replayAgeMs: number;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  private announced = false;
  private running = false;

  constructor(
    private readonly redis: PresenceRedis,
    private readonly options: ReplicaPresenceOptions,
  ) {
    this.key = replicasKey(options.namespace);
    this.channel = appliedChannel(options.namespace);
    this.replayAgeMs = options.replayAgeMs ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * Beats every `untilAnnouncedMs` while not announced (so a replica counts as live at most that long after it
   * becomes live, and a revoke right after its readiness waits for it), then every `intervalMs`.
   */
  start(intervalMs = REPLICA_HEARTBEAT_MS, untilAnnouncedMs = ANNOUNCE_POLL_MS): void {
    this.running = true;
    const next = (): void => {
      if (!this.running) return;
      this.timer = setTimeout(() => void this.beat().then(next), this.announced ? intervalMs : untilAnnouncedMs);
      this.timer.unref();
    };
    void this.beat().then(next);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.redis.zrem(this.key, this.options.replicaId).catch((err: unknown) => this.options.onError?.('zrem', err));
    this.announced = false;
  }

  /** whether the last beat put this replica in the live set */
  get isAnnounced(): boolean {
    return this.announced;
  }

  /** announce now if live and not yet announced (readiness asks this, so "ready" implies "counted live") */
  async announceIfLive(): Promise<boolean> {
    if (!this.announced && this.options.isLive()) await this.beat();
    return this.announced;
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
