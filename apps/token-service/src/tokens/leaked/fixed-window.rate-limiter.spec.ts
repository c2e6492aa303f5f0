import { FixedWindowRateLimiter } from './fixed-window.rate-limiter';

describe(FixedWindowRateLimiter.name, () => {
  it('allows up to the limit per key and window', () => {
    const limiter = new FixedWindowRateLimiter(2, 1000);
    expect([limiter.allow('a', 0), limiter.allow('a', 10), limiter.allow('a', 20)]).toEqual([true, true, false]);
    expect(limiter.allow('b', 30)).toBe(true);
    expect(limiter.allow('a', 1000)).toBe(true);
  });
});
