import { isTokenUsage } from '@latchkey/contracts';
import { DenialLimiter } from './denial.limiter';
import { UsageBatcher } from './usage.batcher';

describe(UsageBatcher.name, () => {
  it('folds the uses of one token in a window into one message', () => {
    const b = new UsageBatcher();
    b.record('t1', 'alice', '10.0.0.1', 'curl', 1000);
    b.record('t1', 'alice', '10.0.0.2', 'ua2', 1500);
    b.record('t2', 'bob', '10.0.0.3', null, 1700);
    let n = 0;
    const out = b.drain('r1', () => `u${++n}`);
    expect(out).toHaveLength(2);
    expect(out.every(isTokenUsage)).toBe(true);
    expect(out[0]).toEqual({
      type: 'TokenUsage', usageId: 'u1', tokenId: 't1', userId: 'alice', replicaId: 'r1', count: 2,
      firstUsedAt: new Date(1000).toISOString(), lastUsedAt: new Date(1500).toISOString(), lastIp: '10.0.0.2', lastUserAgent: 'ua2',
    });
    expect(b.drain('r1', () => 'x')).toEqual([]);
  });

  it('is bounded: extra tokens in one window are counted as dropped', () => {
    const b = new UsageBatcher(2);
    for (const t of ['a', 'b', 'c', 'a']) b.record(t, 'u', 'ip', null, 1);
    expect(b.pending).toBe(2);
    expect(b.dropped).toBe(1);
  });
});

describe(DenialLimiter.name, () => {
  it('allows a few denials per token and per IP each second', () => {
    const l = new DenialLimiter(2);
    expect([l.allow('t1', 'a', 0), l.allow('t1', 'b', 10), l.allow('t1', 'c', 20)]).toEqual([true, true, false]);
    expect([l.allow(null, 'x', 30), l.allow(null, 'x', 40), l.allow(null, 'x', 50)]).toEqual([true, true, false]);
    expect(l.allow('t1', 'd', 1000)).toBe(true);
  });

  it('refuses new keys beyond its bound', () => {
    const l = new DenialLimiter(10, 4);
    expect([l.allow('t1', 'a', 0), l.allow('t2', 'b', 0), l.allow('t3', 'c', 0)]).toEqual([true, true, false]);
  });
});
