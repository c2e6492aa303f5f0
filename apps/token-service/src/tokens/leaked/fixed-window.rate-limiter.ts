/** Per-key fixed-window counter, bounded: old windows are dropped as new ones start. */
export class FixedWindowRateLimiter {
  private window = 0;
  private counts = new Map<string, number>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys = 100_000,
  ) {}

  allow(key: string, now: number): boolean {
    const window = Math.floor(now / this.windowMs);
    if (window !== this.window || this.counts.size >= this.maxKeys) {
      this.window = window;
      this.counts = new Map();
    }
    const n = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, n);
    return n <= this.limit;
  }
}
