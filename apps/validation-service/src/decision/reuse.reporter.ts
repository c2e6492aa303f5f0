import type { ReuseReportSink } from '../cache/token-read-model.port';

export type ReuseOutcome = 'revoked' | 'unchanged' | 'failed' | 'deduplicated';

export interface ReuseReporterOptions {
  /** one report per secret hash within this window */
  windowMs: number;
  /** hashes remembered at most (the oldest are forgotten first) */
  maxEntries: number;
  now?: () => number;
  onOutcome?: (outcome: ReuseOutcome, err?: unknown) => void;
}

/**
 * Reuse detection from the validator: a rotated-away secret past its grace is reported to token-service, which
 * revokes the whole token (its TokenRevoked then reaches every replica). Fire-and-forget, never awaited by the
 * decision; one report per hash per window, so a client retrying a stolen secret cannot flood token-service.
 */
export class ReuseReporter {
  /** hash -> until when it is not reported again; insertion order = expiry order (one window for all) */
  private readonly recent = new Map<string, number>();
  private readonly now: () => number;

  constructor(
    private readonly sink: ReuseReportSink,
    private readonly options: ReuseReporterOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  report(hmac: string): void {
    const now = this.now();
    const until = this.recent.get(hmac);
    if (until !== undefined && until > now) {
      this.options.onOutcome?.('deduplicated');
      return;
    }
    this.recent.delete(hmac);
    this.forgetOld(now);
    this.recent.set(hmac, now + this.options.windowMs);
    this.sink.reportReuse(hmac).then(
      (r) => this.options.onOutcome?.(r.revoked ? 'revoked' : 'unchanged'),
      (err: unknown) => this.options.onOutcome?.('failed', err),
    );
  }

  get size(): number {
    return this.recent.size;
  }

  private forgetOld(now: number): void {
    for (const [hash, until] of this.recent) {
      if (until > now && this.recent.size < this.options.maxEntries) return;
      this.recent.delete(hash);
    }
  }
}

export const NO_REUSE_REPORTS: Pick<ReuseReporter, 'report'> = { report: () => undefined };
