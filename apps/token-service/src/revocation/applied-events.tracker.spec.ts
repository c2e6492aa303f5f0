import { AppliedEventsTracker } from './applied-events.tracker';

const notice = (replicaId: string, eventId: string) => ({ replicaId, eventId, aggregateId: 't', version: 2 });

describe(AppliedEventsTracker.name, () => {
  it('confirms at once when every replica already applied the event', async () => {
    const tracker = new AppliedEventsTracker();
    tracker.record(notice('r1', 'e1'), 0);
    tracker.record(notice('r2', 'e1'), 0);
    await expect(tracker.wait(['e1'], ['r1', 'r2'], 2000, Date.now(), Date.now)).resolves.toMatchObject({ replicas: 2, confirmed: 2 });
  });

  it('is released by the last confirmation, before the bound', async () => {
    const tracker = new AppliedEventsTracker();
    const started = Date.now();
    const waiting = tracker.wait(['e1', 'e2'], ['r1', 'r2'], 5000, started, Date.now);
    for (const [r, e] of [['r1', 'e1'], ['r1', 'e2'], ['r2', 'e1']]) tracker.record(notice(r, e), 0);
    setTimeout(() => tracker.record(notice('r2', 'e2'), 0), 20);
    const ack = await waiting;
    expect(ack).toMatchObject({ replicas: 2, confirmed: 2 });
    expect(ack.waitedMs).toBeLessThan(1000);
  });

  it('answers after the bound with the replicas that did confirm', async () => {
    const tracker = new AppliedEventsTracker();
    tracker.record(notice('r1', 'e1'), 0);
    const ack = await tracker.wait(['e1'], ['r1', 'frozen'], 100, Date.now(), Date.now);
    expect(ack).toMatchObject({ replicas: 2, confirmed: 1 });
    expect(ack.waitedMs).toBeGreaterThanOrEqual(95);
  });

  it('forgets old notices', () => {
    const tracker = new AppliedEventsTracker(1000, 10);
    tracker.record(notice('r1', 'old'), 0);
    tracker.record(notice('r1', 'new'), 5000);
    expect(tracker.confirmedBy(['old'], ['r1'])).toBe(0);
    expect(tracker.confirmedBy(['new'], ['r1'])).toBe(1);
  });
});
