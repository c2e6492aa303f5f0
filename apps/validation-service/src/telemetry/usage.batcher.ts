import type { TokenUsage } from '@latchkey/contracts';

interface UsageWindow {
  userId: string;
  count: number;
  first: number;
  last: number;
  ip: string;
  userAgent: string | null;
}

/**
 * Counts the valid uses of each token between two drains (at most one TokenUsage per token per window). Bounded:
 * beyond `maxTokens` distinct tokens in one window, new tokens are counted as dropped. Pure (ids passed in).
 */
export class UsageBatcher {
  private windows = new Map<string, UsageWindow>();
  dropped = 0;

  constructor(private readonly maxTokens = 100_000) {}

  record(tokenId: string, userId: string, ip: string, userAgent: string | null, now: number): void {
    const w = this.windows.get(tokenId);
    if (w) {
      w.count++;
      w.last = now;
      w.ip = ip;
      w.userAgent = userAgent;
      return;
    }
    if (this.windows.size >= this.maxTokens) {
      this.dropped++;
      return;
    }
    this.windows.set(tokenId, { userId, count: 1, first: now, last: now, ip, userAgent });
  }

  get pending(): number {
    return this.windows.size;
  }

  drain(replicaId: string, newId: () => string): TokenUsage[] {
    if (this.windows.size === 0) return [];
    const windows = this.windows;
    this.windows = new Map();
    const out: TokenUsage[] = [];
    for (const [tokenId, w] of windows) {
      out.push({
        type: 'TokenUsage',
        usageId: newId(),
        tokenId,
        userId: w.userId,
        replicaId,
        count: w.count,
        firstUsedAt: new Date(w.first).toISOString(),
        lastUsedAt: new Date(w.last).toISOString(),
        lastIp: w.ip,
        lastUserAgent: w.userAgent,
      });
    }
    return out;
  }
}
