/**
 * Rate limit of denial events: at most `perSecond` per token and per IP in each one-second window (both must have
 * room). Memory is bounded: beyond `maxKeys` keys in one window, new keys are refused. Pure (clock passed in).
 */
export class DenialLimiter {
  private window = -1;
  private counts = new Map<string, number>();

  constructor(
    private readonly perSecond: number,
    private readonly maxKeys = 50_000,
  ) {}

  allow(tokenId: string | null, ip: string, now: number): boolean {
    const window = Math.floor(now / 1000);
    if (window !== this.window) {
      this.window = window;
      this.counts = new Map();
    }
    const ipKey = `i:${ip}`;
    const tokenKey = tokenId === null ? null : `t:${tokenId}`;
    const ipCount = this.counts.get(ipKey) ?? 0;
    const tokenCount = tokenKey === null ? 0 : (this.counts.get(tokenKey) ?? 0);
    if (ipCount >= this.perSecond || tokenCount >= this.perSecond) return false;
    const newKeys = (ipCount === 0 ? 1 : 0) + (tokenKey !== null && tokenCount === 0 ? 1 : 0);
    if (this.counts.size + newKeys > this.maxKeys) return false;
    this.counts.set(ipKey, ipCount + 1);
    if (tokenKey !== null) this.counts.set(tokenKey, tokenCount + 1);
    return true;
  }
}
