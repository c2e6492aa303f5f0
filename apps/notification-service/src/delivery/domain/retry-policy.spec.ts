import { afterAttempt, retryDelayMs } from './retry-policy';

describe(retryDelayMs.name, () => {
  it('doubles with jitter, every delay longer than the one before whatever the jitter', () => {
    for (let attempt = 1; attempt < 10; attempt++) {
      const longestNow = retryDelayMs(attempt, 1000, 1e9, () => 0.999999);
      const shortestNext = retryDelayMs(attempt + 1, 1000, 1e9, () => 0);
      expect(shortestNext).toBeGreaterThan(longestNow);
    }
    expect(retryDelayMs(1, 1000, 1e9, () => 0)).toBe(750);
    expect(retryDelayMs(3, 1000, 1e9, () => 0)).toBe(3000);
  });

  it('stops growing at the cap', () => {
    expect(retryDelayMs(30, 1000, 60_000, () => 0.5)).toBe(60_000);
  });
});

describe(afterAttempt.name, () => {
  const policy = { maxAttempts: 3, baseMs: 100, maxMs: 10_000 };
  it('is done when the receiver accepted it', () => {
    expect(afterAttempt({ ok: true, detail: 'HTTP 204' }, 1, policy, Math.random)).toEqual({ status: 'sent' });
  });
  it('retries a failure until the last attempt, then dead-letters it', () => {
    expect(afterAttempt({ ok: false, detail: 'HTTP 500' }, 1, policy, () => 0)).toEqual({ status: 'pending', retryInMs: 75 });
    expect(afterAttempt({ ok: false, detail: 'HTTP 500' }, 3, policy, () => 0)).toEqual({ status: 'dead' });
  });
});
