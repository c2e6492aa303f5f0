import { LRUCache } from 'lru-cache';

/**
 * Remembers recently seen event ids (bounded), so an at-least-once consumer can drop redeliveries, and the
 * highest version applied per aggregate, so an older event arriving late is not applied over a newer state.
 */
export class EventDeduplicator {
  private readonly seen: LRUCache<string, true>;
  private readonly versions: LRUCache<string, number>;

  constructor(options: { maxEvents?: number; maxAggregates?: number } = {}) {
    this.seen = new LRUCache<string, true>({ max: options.maxEvents ?? 100_000 });
    this.versions = new LRUCache<string, number>({ max: options.maxAggregates ?? 100_000 });
  }

  /** true the first time an event id is offered (within the cache bound), false on a repeat */
  firstTime(eventId: string): boolean {
    if (this.seen.has(eventId)) return false;
    this.seen.set(eventId, true);
    return true;
  }

  /**
   * true (and remembers it) when version is above the highest seen for this aggregate. An aggregate evicted
   * from the cache counts as unseen, so the caller must still guard with its own stored version where it has one.
   */
  isNewer(aggregateId: string, version: number): boolean {
    const current = this.versions.get(aggregateId);
    if (current !== undefined && version <= current) return false;
    this.versions.set(aggregateId, version);
    return true;
  }

  /** the highest version seen for an aggregate, if still remembered */
  highestVersion(aggregateId: string): number | undefined {
    return this.versions.get(aggregateId);
  }

  forget(aggregateId: string): void {
    this.versions.delete(aggregateId);
  }
}
