import { appliedChannel, replicasKey } from '@latchkey/contracts';
import { PresenceRedis, ReplicaPresence } from './replica-presence';

class FakeRedis implements PresenceRedis {
  readonly set = new Map<string, Map<string, number>>();
  readonly published: Array<[string, string]> = [];
  down = false;
  private check() {
    if (this.down) return Promise.reject(new Error('redis down'));
    return Promise.resolve();
  }
  async zadd(key: string, score: number, member: string) {
    await this.check();
    const m = this.set.get(key) ?? new Map<string, number>();
    m.set(member, score);
    this.set.set(key, m);
  }
  async zrem(key: string, member: string) {
    await this.check();
    this.set.get(key)?.delete(member);
  }
  async publish(channel: string, message: string) {
    await this.check();
    this.published.push([channel, message]);
  }
}

const NOW = Date.parse('2030-01-01T00:00:00Z');

function setup(live = true) {
  const redis = new FakeRedis();
  const state = { live };
  const errors: string[] = [];
  const presence = new ReplicaPresence(redis, {
    namespace: 'ns1',
    replicaId: 'r1',
    isLive: () => state.live,
    now: () => NOW,
    onError: (what) => errors.push(what),
  });
  return { redis, state, presence, errors };
}

describe(ReplicaPresence.name, () => {
  it('announces itself with the current time while live, and leaves when it is not', async () => {
    const { redis, state, presence } = setup();
    await presence.beat();
    expect(redis.set.get(replicasKey('ns1'))?.get('r1')).toBe(NOW);
    state.live = false;
    await presence.beat();
    expect(redis.set.get(replicasKey('ns1'))?.has('r1')).toBe(false);
  });

  it('does not announce a replica that is not live yet', async () => {
    const { redis, presence } = setup(false);
    await presence.beat();
    expect(redis.set.size).toBe(0);
  });

  it('removes itself at shutdown', async () => {
    const { redis, presence } = setup();
    await presence.beat();
    await presence.stop();
    expect(redis.set.get(replicasKey('ns1'))?.size).toBe(0);
  });

  it('publishes one notice per applied event on the namespace channel', async () => {
    const { redis, presence } = setup();
    await presence.applied({ eventId: 'e1', aggregateId: 't1', version: 2, occurredAt: new Date(NOW - 50).toISOString() });
    expect(redis.published).toEqual([[appliedChannel('ns1'), JSON.stringify({ replicaId: 'r1', eventId: 'e1', aggregateId: 't1', version: 2 })]]);
  });

  it('skips notices for replayed events older than 10 s', async () => {
    const { redis, presence } = setup();
    await presence.applied({ eventId: 'e1', aggregateId: 't1', version: 1, occurredAt: new Date(NOW - 10_001).toISOString() });
    expect(redis.published).toEqual([]);
  });

  it('swallows Redis failures (reported, never thrown)', async () => {
    const { redis, presence, errors } = setup();
    redis.down = true;
    await presence.beat();
    await presence.applied({ eventId: 'e1', aggregateId: 't1', version: 1, occurredAt: new Date(NOW).toISOString() });
    expect(errors).toEqual(['liveness', 'publish']);
  });

  it('announces itself within one fast beat of becoming live, then beats at the slow interval', async () => {
    const { redis, state, presence } = setup(false);
    let zadds = 0;
    const zadd = redis.zadd.bind(redis);
    redis.zadd = (key, score, member) => {
      zadds++;
      return zadd(key, score, member);
    };
    presence.start(60_000, 10);
    try {
      await sleep(30);
      expect(zadds).toBe(0);
      state.live = true;
      const became = Date.now();
      while (!presence.isAnnounced && Date.now() - became < 1000) await sleep(2);
      expect(Date.now() - became).toBeLessThan(100);
      expect(redis.set.get(replicasKey('ns1'))?.has('r1')).toBe(true);
      await sleep(50);
      expect(zadds).toBe(1);
    } finally {
      await presence.stop();
    }
  });

  it('announces at once when readiness asks and the replica is live', async () => {
    const { redis, state, presence } = setup(false);
    expect(await presence.announceIfLive()).toBe(false);
    state.live = true;
    expect(await presence.announceIfLive()).toBe(true);
    expect(redis.set.get(replicasKey('ns1'))?.has('r1')).toBe(true);
  });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
