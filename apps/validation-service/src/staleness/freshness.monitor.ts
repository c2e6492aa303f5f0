import type { Heartbeat } from '@latchkey/contracts';

export interface FreshnessSnapshot {
  stale: boolean;
  /** ms since the oldest partition's last fresh heartbeat; null when some partition has none yet */
  lagMs: number | null;
  partitions: number;
}

/**
 * Decides whether this replica can prove it is current: every partition of the token topic must have
 * delivered a heartbeat within `maxStalenessMs`. A heartbeat read long after it was sent (a replay at start, or a
 * consumer lagging behind) proves nothing and is ignored. Pure: the clock is passed in. `maxStalenessMs` 0 disables.
 */
export class FreshnessMonitor {
  private readonly lastSeen = new Map<number, number>();
  private partitions = 0;
  private _stale: boolean;

  constructor(private readonly maxStalenessMs: number) {
    this._stale = maxStalenessMs > 0;
  }

  /** read on every request: a field, not a computation */
  get stale(): boolean {
    return this._stale;
  }

  get enabled(): boolean {
    return this.maxStalenessMs > 0;
  }

  /** A heartbeat read from `partition` at `receivedAt`; true when it counted as proof of freshness. */
  observe(heartbeat: Heartbeat, partition: number, receivedAt: number): boolean {
    const sentAt = Date.parse(heartbeat.sentAt);
    if (!Number.isFinite(sentAt) || receivedAt - sentAt > this.maxStalenessMs) return false;
    if (heartbeat.partitions > 0 && heartbeat.partitions <= 10_000) this.partitions = heartbeat.partitions;
    this.lastSeen.set(partition, receivedAt);
    return true;
  }

  /** Re-evaluates at `now`; returns the snapshot (and flips `stale`). */
  evaluate(now: number): FreshnessSnapshot {
    if (!this.enabled) return { stale: false, lagMs: null, partitions: this.partitions };
    let oldest: number | null = this.partitions > 0 ? now : null;
    for (let p = 0; p < this.partitions; p++) {
      const seen = this.lastSeen.get(p);
      if (seen === undefined) {
        oldest = null;
        break;
      }
      if (oldest !== null && seen < oldest) oldest = seen;
    }
    const lagMs = oldest === null ? null : now - oldest;
    this._stale = lagMs === null || lagMs > this.maxStalenessMs;
    return { stale: this._stale, lagMs, partitions: this.partitions };
  }
}
