import type { ReuseReportSink } from '../cache/token-read-model.port';
import { ReuseOutcome, ReuseReporter } from './reuse.reporter';

function setup(answer: () => Promise<{ revoked: boolean }> = async () => ({ revoked: true })) {
  const clock = { now: 1_000 };
  const reported: string[] = [];
  const outcomes: ReuseOutcome[] = [];
  const sink: ReuseReportSink = {
    reportReuse: (h) => {
      reported.push(h);
      return answer();
    },
  };
  const reporter = new ReuseReporter(sink, { windowMs: 5_000, maxEntries: 3, now: () => clock.now, onOutcome: (o) => outcomes.push(o) });
  return { clock, reported, outcomes, reporter };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe(ReuseReporter.name, () => {
  it('reports a hash once per window, and again after it', async () => {
    const { clock, reported, outcomes, reporter } = setup();
    reporter.report('h1');
    reporter.report('h1');
    reporter.report('h2');
    clock.now += 5_000;
    reporter.report('h1');
    await settle();
    expect(reported).toEqual(['h1', 'h2', 'h1']);
    expect(outcomes.sort()).toEqual(['deduplicated', 'revoked', 'revoked', 'revoked']);
  });

  it('stays bounded: the oldest hashes are forgotten first', () => {
    const { reporter, reported } = setup();
    for (const h of ['a', 'b', 'c', 'd', 'e']) reporter.report(h);
    expect(reporter.size).toBe(3);
    reporter.report('e');
    reporter.report('a');
    expect(reported).toEqual(['a', 'b', 'c', 'd', 'e', 'a']);
  });

  it('never throws or rejects when token-service cannot answer', async () => {
    const { reporter, outcomes } = setup(() => Promise.reject(new Error('down')));
    expect(() => reporter.report('h1')).not.toThrow();
    await settle();
    expect(outcomes).toEqual(['failed']);
  });
});
