import { EventDeduplicator } from './deduplicator';

describe(EventDeduplicator.name, () => {
  it('reports an event id as new only the first time', () => {
    const d = new EventDeduplicator();
    expect(d.firstTime('a')).toBe(true);
    expect(d.firstTime('a')).toBe(false);
    expect(d.firstTime('b')).toBe(true);
  });

  it('stays bounded, forgetting the least recently seen ids', () => {
    const d = new EventDeduplicator({ maxEvents: 2 });
    d.firstTime('a');
    d.firstTime('b');
    d.firstTime('c');
    expect(d.firstTime('c')).toBe(false);
    expect(d.firstTime('a')).toBe(true);
  });

  it('accepts only versions above the highest seen per aggregate', () => {
    const d = new EventDeduplicator();
    expect(d.isNewer('t1', 1)).toBe(true);
    expect(d.isNewer('t1', 3)).toBe(true);
    expect(d.isNewer('t1', 2)).toBe(false);
    expect(d.isNewer('t1', 3)).toBe(false);
    expect(d.isNewer('t2', 1)).toBe(true);
    expect(d.highestVersion('t1')).toBe(3);
  });

  it('treats a forgotten aggregate as unseen', () => {
    const d = new EventDeduplicator({ maxAggregates: 1 });
    d.isNewer('t1', 5);
    d.isNewer('t2', 1);
    expect(d.isNewer('t1', 2)).toBe(true);
  });
});
