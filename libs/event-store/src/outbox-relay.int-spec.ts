import { Actor } from '@latchkey/contracts';
import { EventPublisher, InMemoryEventBus, OutgoingMessage } from '@latchkey/messaging';
import { DataSource } from 'typeorm';
import { OutboxRelay, relayApplicationName } from './outbox-relay';
import { PgEventStore } from './pg-event-store';
import { dropEventStoreSchemaSql, eventStoreSchemaSql, outboxChannel } from './schema';
import { randomSchema, TEST_DATABASE_URL, waitUntil } from './test-support';

const actor: Actor = { userId: 'u1', via: 'system' };

/** versions per stream, in the order they were published */
function versionsByStream(messages: OutgoingMessage[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const m of messages) {
    const list = out.get(m.key) ?? [];
    list.push((JSON.parse(m.value) as { version: number }).version);
    out.set(m.key, list);
  }
  return out;
}

/** A publisher that records how many publish() calls overlap, and can be slowed down. */
class WatchingPublisher implements EventPublisher {
  readonly published: OutgoingMessage[] = [];
  inFlight = 0;
  maxInFlight = 0;
  constructor(private readonly delayMs: number) {}
  async publish(messages: OutgoingMessage[]): Promise<void> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await new Promise((r) => setTimeout(r, this.delayMs));
      this.published.push(...messages);
    } finally {
      this.inFlight--;
    }
  }
}

describe(OutboxRelay.name, () => {
  const dataSource = new DataSource({ type: 'postgres', url: TEST_DATABASE_URL, poolSize: 12 });
  const schemas: string[] = [];
  const relays: OutboxRelay[] = [];

  async function newStore(): Promise<{ schema: string; store: PgEventStore }> {
    const schema = randomSchema('relay_test');
    schemas.push(schema);
    for (const sql of eventStoreSchemaSql(schema)) await dataSource.query(sql);
    return { schema, store: new PgEventStore(dataSource, { schema, topicFor: (t) => `test.${t}.v1` }) };
  }

  function newRelay(schema: string, publisher: EventPublisher, options: { batchSize?: number; pollIntervalMs?: number } = {}) {
    const relay = new OutboxRelay(dataSource, publisher, {
      schema,
      databaseUrl: TEST_DATABASE_URL,
      minBackoffMs: 50,
      maxBackoffMs: 400,
      ...options,
    });
    relays.push(relay);
    return relay;
  }

  beforeAll(() => dataSource.initialize());

  afterAll(async () => {
    await Promise.all(relays.map((r) => r.stop()));
    for (const schema of schemas) for (const sql of dropEventStoreSchemaSql(schema)) await dataSource.query(sql);
    await dataSource.destroy();
  });

  it('is woken at once by an append in this process, not only by polling', async () => {
    const { schema, store } = await newStore();
    const bus = new InMemoryEventBus();
    const relay = newRelay(schema, bus, { pollIntervalMs: 60_000 });
    relay.start();
    await waitUntil(() => relay.pending().then((n) => n === 0)); // first pass done, now idle for a minute
    await store.append('local', 'token', 0, [{ type: 'A', actor, data: {} }]);
    await waitUntil(() => bus.published.length > 0, 5_000, 'a publish woken by the local append');
    expect(bus.published[0]).toMatchObject({ topic: 'test.token.v1', key: 'local' });
    expect(bus.published[0].headers).toHaveProperty('latchkey-event-type', 'A');
    await relay.stop();
  });

  it("is woken by another process's append notification", async () => {
    const { schema } = await newStore();
    const bus = new InMemoryEventBus();
    const relay = newRelay(schema, bus, { pollIntervalMs: 60_000 });
    relay.start();
    await waitUntil(() => relay.pending().then((n) => n === 0)); // first pass done (and LISTENing), idle for a minute
    // what another process's append leaves: an outbox row and a NOTIFY with its own origin
    await dataSource.transaction(async (m) => {
      await m.query(`INSERT INTO "${schema}".outbox (event_id, topic, message_key, payload) VALUES ($1, 't', 'remote', '{"version": 1}')`, [
        '00000000-0000-4000-8000-000000000001',
      ]);
      await m.query(`SELECT pg_notify($1, 'another-process')`, [outboxChannel(schema)]);
    });
    await waitUntil(() => bus.published.length > 0, 5_000, 'a publish woken by NOTIFY');
    expect(bus.published[0]).toMatchObject({ topic: 't', key: 'remote' });
    await relay.stop();
  });

  it('delivers what was appended while the publisher failed once it works again, in per-stream order', async () => {
    const { schema, store } = await newStore();
    const bus = new InMemoryEventBus();
    bus.failWith(new Error('broker down'));
    const warnings: string[] = [];
    const relay = new OutboxRelay(dataSource, bus, {
      schema,
      databaseUrl: TEST_DATABASE_URL,
      batchSize: 7,
      pollIntervalMs: 100,
      minBackoffMs: 20,
      maxBackoffMs: 200,
      logger: { info: () => undefined, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) },
    });
    relays.push(relay);
    relay.start();

    const streams = ['a', 'b', 'c'];
    for (let v = 0; v < 10; v++) {
      for (const s of streams) await store.append(s, 'token', v, [{ type: `E${v + 1}`, actor, data: { v: v + 1 } }]);
    }
    await waitUntil(() => !relay.healthy && warnings.length >= 2, 10_000, 'failed attempts');
    expect(bus.published).toHaveLength(0);
    expect(await relay.pending()).toBe(30);
    expect(relay.lastError).toBe('broker down');
    expect(warnings[0]).toContain('broker down');

    bus.failWith(null);
    await waitUntil(() => relay.pending().then((n) => n === 0), 10_000, 'the outbox to drain');
    expect(relay.healthy).toBe(true);
    const byStream = versionsByStream(bus.published);
    for (const s of streams) expect(byStream.get(s)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const [row] = await dataSource.query(`SELECT max(attempts)::int AS max FROM "${schema}".outbox`);
    expect(row.max).toBeGreaterThan(1); // the first batch counted its failed attempts
    await relay.stop();
  });

  it('publishes in per-stream order with two relays running at once, never both at the same time', async () => {
    const { schema, store } = await newStore();
    const publisher = new WatchingPublisher(3);
    const relayA = newRelay(schema, publisher, { batchSize: 5, pollIntervalMs: 20 });
    const relayB = newRelay(schema, publisher, { batchSize: 5, pollIntervalMs: 20 });
    relayA.start();
    relayB.start();

    const streams = Array.from({ length: 6 }, (_, i) => `stream-${i}`);
    const perStream = 15;
    // concurrent writers, one per stream, each appending its stream's events one after the other
    await Promise.all(
      streams.map(async (s) => {
        for (let v = 0; v < perStream; v++) await store.append(s, 'token', v, [{ type: 'E', actor, data: {} }]);
      }),
    );
    await waitUntil(() => relayA.pending().then((n) => n === 0), 20_000, 'the outbox to drain');
    await Promise.all([relayA.stop(), relayB.stop()]);

    const expected = Array.from({ length: perStream }, (_, i) => i + 1);
    const byStream = versionsByStream(publisher.published);
    for (const s of streams) expect(byStream.get(s)).toEqual(expected);
    expect(publisher.maxInFlight).toBe(1);
    expect(relayA.published + relayB.published).toBe(streams.length * perStream);
  });

  it('reconnects its session after losing it, and delivers what was appended meanwhile in per-stream order', async () => {
    const { schema, store } = await newStore();
    const bus = new InMemoryEventBus();
    const warnings: string[] = [];
    const relay = new OutboxRelay(dataSource, bus, {
      schema,
      databaseUrl: TEST_DATABASE_URL,
      pollIntervalMs: 60_000, // only notifications and the reconnect wake it
      minBackoffMs: 20,
      maxBackoffMs: 200,
      logger: { info: () => undefined, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) },
    });
    relays.push(relay);
    relay.start();
    await store.append('s', 'token', 0, [{ type: 'E', actor, data: {} }]);
    await waitUntil(() => bus.published.length === 1, 10_000, 'the first event');

    const terminated = await dataSource.query(
      `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1`,
      [relayApplicationName(schema)],
    );
    expect(terminated).toHaveLength(1);
    await waitUntil(() => warnings.some((w) => w.includes('session lost')), 10_000, 'the lost session to be noticed');
    for (let v = 1; v < 5; v++) await store.append('s', 'token', v, [{ type: 'E', actor, data: {} }]);
    await waitUntil(() => relay.pending().then((n) => n === 0), 10_000, 'the outbox to drain');
    expect(versionsByStream(bus.published).get('s')).toEqual([1, 2, 3, 4, 5]);
    await relay.stop();
  });

  it('stop() waits for the batch in flight', async () => {
    const { schema, store } = await newStore();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let publishing = false;
    const publisher: EventPublisher = {
      publish: async () => {
        publishing = true;
        await gate;
      },
    };
    await store.append('s', 'token', 0, [{ type: 'A', actor, data: {} }]);
    const relay = newRelay(schema, publisher);
    relay.start();
    await waitUntil(() => publishing, 5_000, 'a publish to start');
    let stopped = false;
    const stopping = relay.stop().then(() => (stopped = true));
    await Promise.resolve();
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(await relay.pending()).toBe(0);
  });
});
