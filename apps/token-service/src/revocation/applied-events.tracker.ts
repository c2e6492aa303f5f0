import { AppliedEventNotice, RevocationAck } from '@latchkey/contracts';

interface Waiter {
  eventIds: string[];
  replicas: string[];
  done: () => void;
}

/**
 * Pure bookkeeping of which replica applied which event (no I/O): notices may arrive before anyone waits for
 * them, so they are kept for a while; waiters are released as soon as every replica they wait for has applied
 * every event they wait for.
 */
export class AppliedEventsTracker {
  private readonly applied = new Map<string, { replicas: Set<string>; at: number }>();
  private readonly waiters = new Set<Waiter>();

  constructor(
    private readonly retainMs = 60_000,
    private readonly maxEvents = 200_000,
  ) {}

  record(notice: AppliedEventNotice, now: number): void {
    let entry = this.applied.get(notice.eventId);
    if (!entry) {
      entry = { replicas: new Set(), at: now };
      this.applied.set(notice.eventId, entry);
      this.prune(now);
    }
    entry.replicas.add(notice.replicaId);
    for (const w of this.waiters) if (this.confirmedBy(w.eventIds, w.replicas) === w.replicas.length) w.done();
  }

  /** how many of `replicas` have applied all of `eventIds` */
  confirmedBy(eventIds: string[], replicas: string[]): number {
    return replicas.filter((r) => eventIds.every((id) => this.applied.get(id)?.replicas.has(r))).length;
  }

  async wait(eventIds: string[], replicas: string[], boundMs: number, started: number, clock: () => number): Promise<RevocationAck> {
    if (replicas.length > 0 && this.confirmedBy(eventIds, replicas) < replicas.length) {
      await new Promise<void>((resolve) => {
        const waiter: Waiter = { eventIds, replicas, done: () => finish() };
        const timer = setTimeout(() => finish(), Math.max(0, boundMs - (clock() - started)));
        const finish = () => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve();
        };
        this.waiters.add(waiter);
      });
    }
    return { replicas: replicas.length, confirmed: this.confirmedBy(eventIds, replicas), waitedMs: Math.round(clock() - started) };
  }

  private prune(now: number): void {
    for (const [id, entry] of this.applied) {
      if (this.applied.size <= this.maxEvents && entry.at > now - this.retainMs) break; // insertion order = age order
      this.applied.delete(id);
    }
  }
}
