import { Actor } from '@latchkey/contracts';
import { DataSource } from 'typeorm';
import { PgEventStore } from './pg-event-store';
import { dropEventStoreSchemaSql, eventStoreSchemaSql } from './schema';
import { StreamVersionConflictError } from './stream-version-conflict.error';
import { randomSchema, TEST_DATABASE_URL, waitUntil } from './test-support';

const actor: Actor = { userId: 'u1', via: 'oidc' };

describe(PgEventStore.name, () => {
  const schema = randomSchema('es_test');
  const dataSource = new DataSource({ type: 'postgres', url: TEST_DATABASE_URL, poolSize: 10 });
  let store: PgEventStore;

  beforeAll(async () => {
    await dataSource.initialize();
    for (const sql of eventStoreSchemaSql(schema)) await dataSource.query(sql);
    // idempotent: a second run of the migration changes nothing
    for (const sql of eventStoreSchemaSql(schema)) await dataSource.query(sql);
    await dataSource.query(`CREATE TABLE "${schema}".projection (id text PRIMARY KEY, name text NOT NULL)`);
    store = new PgEventStore(dataSource, { schema, topicFor: (t) => `test.${t}.v1` });
  });

  afterAll(async () => {
    for (const sql of dropEventStoreSchemaSql(schema)) await dataSource.query(sql);
    await dataSource.destroy();
  });

  const outboxRows = (streamId: string) =>
    dataSource.query(`SELECT topic, message_key, payload, headers FROM "${schema}".outbox WHERE message_key = $1 ORDER BY id`, [
      streamId,
    ]);

  it('appends events with consecutive versions and reads them back in order, extra fields included', async () => {
    const appended = await store.append('s1', 'token', 0, [
      { type: 'TokenIssued', actor, data: { name: 'a' }, extra: { state: { status: 'active' } } },
      { type: 'TokenRenamed', actor, data: { name: 'b' } },
    ]);
    expect(appended.map((e) => e.version)).toEqual([1, 2]);
    await store.append('s1', 'token', 2, [{ type: 'TokenRevoked', actor, data: { reason: 'x' } }]);

    const events = await store.readStream('s1');
    expect(events.map((e) => [e.type, e.version, e.aggregateId, e.aggregateType])).toEqual([
      ['TokenIssued', 1, 's1', 'token'],
      ['TokenRenamed', 2, 's1', 'token'],
      ['TokenRevoked', 3, 's1', 'token'],
    ]);
    expect(events[0]).toEqual(appended[0]);
    expect((events[0] as unknown as { state: unknown }).state).toEqual({ status: 'active' });
    expect(await store.streamVersion('s1')).toBe(3);
    expect(await store.streamVersion('nothing-here')).toBe(0);
  });

  it('writes one outbox row per event with topic, key, envelope payload and headers', async () => {
    const [e] = await store.append('s2', 'token', 0, [{ type: 'TokenIssued', actor, data: {}, extra: { state: { v: 1 } } }]);
    const rows = await outboxRows('s2');
    expect(rows).toEqual([
      {
        topic: 'test.token.v1',
        message_key: 's2',
        payload: e,
        headers: { 'latchkey-event-id': e.eventId, 'latchkey-event-type': 'TokenIssued', 'latchkey-aggregate-type': 'token' },
      },
    ]);
  });

  it('rejects a stale expected version with StreamVersionConflictError and writes nothing', async () => {
    await store.append('s3', 'token', 0, [{ type: 'A', actor, data: {} }]);
    const err = await store.append('s3', 'token', 0, [{ type: 'B', actor, data: {} }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StreamVersionConflictError);
    expect(err).toMatchObject({ code: 'STREAM_VERSION_CONFLICT', streamId: 's3', expectedVersion: 0, actualVersion: 1 });
    expect(await store.readStream('s3')).toHaveLength(1);
    expect(await outboxRows('s3')).toHaveLength(1);
  });

  it('lets exactly one of two concurrent appends at the same expected version win', async () => {
    for (let round = 0; round < 5; round++) {
      const streamId = `race-${round}`;
      if (round % 2 === 1) await store.append(streamId, 'token', 0, [{ type: 'Seed', actor, data: {} }]);
      const expected = round % 2;
      const results = await Promise.allSettled([
        store.append(streamId, 'token', expected, [{ type: 'Left', actor, data: {} }]),
        store.append(streamId, 'token', expected, [{ type: 'Right', actor, data: {} }]),
      ]);
      const fulfilled = results.filter((r) => r.status === 'fulfilled');
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(fulfilled).toHaveLength(1);
      expect(rejected).toHaveLength(1);
      expect(rejected[0].reason).toBeInstanceOf(StreamVersionConflictError);
      expect(rejected[0].reason).toMatchObject({ streamId, expectedVersion: expected, actualVersion: expected + 1 });
      expect(await store.streamVersion(streamId)).toBe(expected + 1);
      expect(await outboxRows(streamId)).toHaveLength(expected + 1);
    }
  });

  it('maps losing the race on the unique (stream, version) index to StreamVersionConflictError', async () => {
    // Hold the winner's transaction open so the loser passes the version check and then hits the index.
    let releaseWinner!: () => void;
    const winnerHolds = new Promise<void>((r) => (releaseWinner = r));
    let winnerInserted!: () => void;
    const inserted = new Promise<void>((r) => (winnerInserted = r));
    const winner = store.append('s4', 'token', 0, [{ type: 'W', actor, data: {} }], async () => {
      winnerInserted();
      await winnerHolds;
    });
    await inserted;
    const loser = store.append('s4', 'token', 0, [{ type: 'L', actor, data: {} }]).catch((e: unknown) => e);
    await waitUntil(async () => {
      const [row] = await dataSource.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1`,
        [`%"${schema}".events%`],
      );
      return row.n > 0;
    }, 10_000, 'the loser to block on the unique index');
    releaseWinner();
    await winner;
    const err = await loser;
    expect(err).toBeInstanceOf(StreamVersionConflictError);
    expect(err).toMatchObject({ expectedVersion: 0, actualVersion: 1 });
    expect((await store.readStream('s4')).map((e) => e.type)).toEqual(['W']);
  });

  it('runs inTransaction atomically: its writes commit with the events, and its failure rolls everything back', async () => {
    await store.append('s5', 'token', 0, [{ type: 'A', actor, data: {} }], async (tx) => {
      await tx.query(`INSERT INTO "${schema}".projection (id, name) VALUES ($1, $2)`, ['s5', 'first']);
    });
    const failure = store.append('s5', 'token', 1, [{ type: 'B', actor, data: {} }], async (tx) => {
      await tx.query(`UPDATE "${schema}".projection SET name = 'second' WHERE id = $1`, ['s5']);
      throw new Error('projection failed');
    });
    await expect(failure).rejects.toThrow('projection failed');
    expect((await store.readStream('s5')).map((e) => e.type)).toEqual(['A']);
    expect(await outboxRows('s5')).toHaveLength(1);
    expect(await dataSource.query(`SELECT name FROM "${schema}".projection WHERE id = 's5'`)).toEqual([{ name: 'first' }]);
  });

  it('writes a projection in the append statement itself: with the events, or not at all', async () => {
    const upsert = (name: string) => (param: (v: unknown) => string, guard: string) =>
      `INSERT INTO "${schema}".projection (id, name) SELECT ${param('s7')}, ${param(name)} WHERE ${guard} ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name`;
    await store.append('s7', 'token', 0, [{ type: 'A', actor, data: {} }], undefined, upsert('first'));
    await store.append('s7', 'token', 1, [{ type: 'B', actor, data: {} }], undefined, upsert('second'));
    const stale = await store.append('s7', 'token', 1, [{ type: 'C', actor, data: {} }], undefined, upsert('stale')).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(StreamVersionConflictError);
    expect((await store.readStream('s7')).map((e) => e.type)).toEqual(['A', 'B']);
    expect(await outboxRows('s7')).toHaveLength(2);
    expect(await dataSource.query(`SELECT name FROM "${schema}".projection WHERE id = 's7'`)).toEqual([{ name: 'second' }]);
    // a failing projection fails the append: no events, no outbox rows
    const failing = (param: (v: unknown) => string, guard: string) => `INSERT INTO "${schema}".projection (id, name) SELECT ${param('s7b')}, NULL WHERE ${guard}`;
    await expect(store.append('s7b', 'token', 0, [{ type: 'A', actor, data: {} }], undefined, failing)).rejects.toThrow(/null value/);
    expect(await store.readStream('s7b')).toEqual([]);
    expect(await outboxRows('s7b')).toHaveLength(0);
  });

  it('refuses extra fields that would override the standard envelope', async () => {
    await expect(store.append('s6', 'token', 0, [{ type: 'A', actor, data: {}, extra: { version: 9 } }])).rejects.toThrow(
      /override/,
    );
    expect(await store.streamVersion('s6')).toBe(0);
  });
});
