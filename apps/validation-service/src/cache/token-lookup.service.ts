import { Logger } from '@nestjs/common';
import type { TokenLookupResult } from '@latchkey/contracts';
import type { LookupFacts } from '../decision/domain';
import type { ValidationMetrics } from '../metrics/validation.metrics';
import type { MemoryTokenCache } from './memory-token.cache';
import type { TokenReadModel, TokenSource } from './token-read-model.port';

/**
 * Finds a token by the HMAC of its secret: in-process LRU, then remembered 404s, then the Redis read model,
 * then token-service (one round trip each). A read-model failure never fails validation (it falls through to the source); a source
 * failure throws SourceUnavailableError (fail closed). Concurrent lookups of one HMAC share one call.
 */
export class TokenLookupService {
  private readonly logger = new Logger(TokenLookupService.name);
  private readonly inFlight = new Map<string, Promise<LookupFacts | null>>();
  private readonly missing = new Map<string, Promise<LookupFacts | null>>();
  private lastReadModelWarning = 0;
  // hot-path counters: plain numbers folded into the labelled counter when scraped
  private readonly memoryHits;
  private readonly negativeHits;
  private readonly redisHits;

  constructor(
    private readonly memory: MemoryTokenCache,
    private readonly readModel: TokenReadModel,
    private readonly source: TokenSource,
    private readonly metrics: ValidationMetrics,
  ) {
    this.memoryHits = metrics.hot(metrics.lookups, { layer: 'memory' });
    this.negativeHits = metrics.hot(metrics.lookups, { layer: 'negative' });
    this.redisHits = metrics.hot(metrics.lookups, { layer: 'redis' });
  }

  /** What memory alone can answer, without I/O: a result, null (a remembered 404), or undefined (needs a lookup). */
  cached(hmac: string): LookupFacts | null | undefined {
    const cached = this.memory.find(hmac);
    if (cached) {
      this.memoryHits.inc();
      return cached;
    }
    if (this.memory.isKnownMissing(hmac)) {
      this.negativeHits.inc();
      return null;
    }
    return undefined;
  }

  lookup(hmac: string): Promise<LookupFacts | null> {
    const cached = this.cached(hmac);
    if (cached !== undefined) return Promise.resolve(cached);
    // concurrent misses of one HMAC share one Redis round trip (and, behind it, one source call)
    let pending = this.missing.get(hmac);
    if (!pending) {
      pending = this.miss(hmac).finally(() => this.missing.delete(hmac));
      this.missing.set(hmac, pending);
    }
    return pending;
  }

  private async miss(hmac: string): Promise<LookupFacts | null> {
    const fromReadModel = await this.fromReadModel(hmac);
    if (fromReadModel) {
      this.redisHits.inc();
      return this.memory.remember(hmac, fromReadModel);
    }
    return this.sourceOnce(hmac);
  }

  /**
   * For a replica that cannot prove it is current: the caches' positive answers are not trusted, the source is
   * asked (and the caches refreshed). A remembered 404 still answers, so a flood of random tokens never reaches it.
   */
  async lookupFresh(hmac: string): Promise<LookupFacts | null> {
    if (this.memory.isKnownMissing(hmac)) {
      this.negativeHits.inc();
      return null;
    }
    return this.sourceOnce(hmac);
  }

  private sourceOnce(hmac: string): Promise<LookupFacts | null> {
    let pending = this.inFlight.get(hmac);
    if (!pending) {
      pending = this.fromSource(hmac).finally(() => this.inFlight.delete(hmac));
      this.inFlight.set(hmac, pending);
    }
    return pending;
  }

  private async fromReadModel(hmac: string): Promise<TokenLookupResult | null> {
    try {
      // hash -> token id -> state in one round trip
      return await this.readModel.findLookup(hmac);
    } catch (err) {
      this.metrics.lookupErrors.inc({ layer: 'redis' });
      this.warnReadModel(`read model lookup failed, asking the source: ${(err as Error).message}`);
      return null;
    }
  }

  private async fromSource(hmac: string): Promise<LookupFacts | null> {
    const epoch = this.memory.currentNegativeEpoch();
    let result: TokenLookupResult | null;
    try {
      result = await this.source.findByHash(hmac);
    } catch (err) {
      this.metrics.lookupErrors.inc({ layer: 'source' });
      throw err;
    }
    this.metrics.lookups.inc({ layer: 'source' });
    if (!result) {
      this.memory.rememberMissing(hmac, epoch);
      return null;
    }
    const answer = this.memory.remember(hmac, result);
    // best effort: the next replica finds it in Redis (the full state; Redis keeps the newest version); a failure
    // only costs it a source call
    this.readModel.saveLookup(hmac, result).catch((err: unknown) => {
      this.metrics.readModelWriteFailures.inc();
      this.warnReadModel(`read model write failed: ${(err as Error).message}`);
    });
    return answer;
  }

  /** at most one warning every 5 s while Redis is down */
  private warnReadModel(message: string): void {
    const now = Date.now();
    if (now - this.lastReadModelWarning < 5_000) return;
    this.lastReadModelWarning = now;
    this.logger.warn(message);
  }
}
