import type { Heartbeat } from '@latchkey/contracts';
import { FreshnessMonitor } from './freshness.monitor';

const T0 = Date.parse('2030-01-01T00:00:00Z');
const beat = (partition: number, sentAt: number, partitions = 2): Heartbeat => ({
  type: 'Heartbeat',
  aggregateType: 'heartbeat',
  source: 'ts',
  sentAt: new Date(sentAt).toISOString(),
  partition,
  partitions,
  seq: 1,
});

describe(FreshnessMonitor.name, () => {
  it('is stale until every partition has delivered a heartbeat', () => {
    const m = new FreshnessMonitor(5000);
    expect(m.stale).toBe(true);
    m.observe(beat(0, T0), 0, T0 + 5);
    expect(m.evaluate(T0 + 10)).toEqual({ stale: true, lagMs: null, partitions: 2 });
    m.observe(beat(1, T0), 1, T0 + 6);
    expect(m.evaluate(T0 + 10)).toEqual({ stale: false, lagMs: 5, partitions: 2 });
    expect(m.stale).toBe(false);
  });

  it('turns stale when one partition falls silent for longer than the bound, and recovers', () => {
    const m = new FreshnessMonitor(5000);
    m.observe(beat(0, T0), 0, T0);
    m.observe(beat(1, T0), 1, T0);
    m.observe(beat(0, T0 + 4000), 0, T0 + 4000);
    expect(m.evaluate(T0 + 5000).stale).toBe(false);
    expect(m.evaluate(T0 + 5001)).toMatchObject({ stale: true, lagMs: 5001 });
    m.observe(beat(1, T0 + 6000), 1, T0 + 6000);
    expect(m.evaluate(T0 + 6000).stale).toBe(false);
  });

  it('ignores heartbeats read long after they were sent (replays, lagging consumer)', () => {
    const m = new FreshnessMonitor(5000);
    expect(m.observe(beat(0, T0), 0, T0 + 60_000)).toBe(false);
    expect(m.observe(beat(1, T0), 1, T0 + 60_000)).toBe(false);
    expect(m.evaluate(T0 + 60_000).stale).toBe(true);
  });

  it('is never stale when disabled', () => {
    const m = new FreshnessMonitor(0);
    expect(m.stale).toBe(false);
    expect(m.evaluate(T0).stale).toBe(false);
  });
});
