import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { EventEnvelope, IssueTokenResponse, Topics, topicName } from '@latchkey/contracts';
import { KafkaBroker, uniqueName, waitFor } from '@latchkey/testing';
import { api, startSystem, System } from './system';

/**
 * The outbox promise: Kafka down while tokens are issued and revoked loses nothing; once the broker is back,
 * every event arrives, each once after deduplication by eventId, in per-token order.
 */
describe('token events survive a Kafka outage', () => {
  let system: System;
  // a private broker: stopping the shared one would disturb anything else using it
  const kafkaBroker = KafkaBroker.private();

  beforeAll(async () => {
    await kafkaBroker.start();
    system = await startSystem({ audit: true, kafkaBrokers: kafkaBroker.brokers });
  }, 180_000);

  afterAll(async () => {
    await system?.stop();
    await kafkaBroker.destroy();
  }, 120_000);

  it('delivers every event written while the broker was down, once per consumer, in order', async () => {
    const admin = system.bootstrapToken();
    await kafkaBroker.stop();

    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await api<IssueTokenResponse>(system.token, 'POST', '/v1/tokens', admin, { name: `outage-${i}`, scopes: ['read'] });
      expect(res.status).toBe(201);
      ids.push(res.body.token.id);
    }
    for (const id of ids.slice(0, 6)) {
      expect((await api(system.token, 'DELETE', `/v1/tokens/${id}`, admin)).status).toBe(200);
    }
    // the truth: what the event store holds for these tokens
    const pg = new Client({ connectionString: system.databaseUrl });
    await pg.connect();
    const stored = await pg.query<{ event_id: string }>('SELECT event_id FROM token.events WHERE stream_id = ANY($1)', [ids]);
    await pg.end();
    expect(stored.rowCount).toBe(18);
    const expected = new Set(stored.rows.map((r) => r.event_id));

    await kafkaBroker.start();

    // consumer 1: a fresh consumer group reading the topic as a SIEM or a new replica would
    const kafka = new Kafka({ brokers: kafkaBroker.brokers, clientId: 'e2e-outage', logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: uniqueName('e2e-outage'), sessionTimeout: 6000 });
    const received: EventEnvelope[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: topicName(Topics.token, system.namespace), fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void received.push(JSON.parse(String(message.value)) as EventEnvelope) });
    try {
      await waitFor(() => [...expected].every((id) => received.some((e) => e.eventId === id)), { timeoutMs: 60_000, what: 'all events on Kafka' });
    } finally {
      await consumer.disconnect();
    }
    const relevant = received.filter((e) => ids.includes(e.aggregateId));
    const unique = new Map(relevant.map((e) => [e.eventId, e]));
    expect(new Set(unique.keys())).toEqual(expected);
    for (const id of ids) {
      const versions = relevant.filter((e) => e.aggregateId === id).map((e) => e.version);
      const deduped = versions.filter((v, i) => versions.indexOf(v) === i);
      expect({ id, versions: deduped }).toEqual({ id, versions: ids.indexOf(id) < 6 ? [1, 2] : [1] });
    }

    // consumer 2: audit-service, which was running through the outage, stores each event exactly once
    await waitFor(
      async () => {
        const pgAudit = new Client({ connectionString: system.databaseUrl });
        await pgAudit.connect();
        try {
          const rows = await pgAudit.query<{ event_id: string; n: string }>(
            'SELECT event_id, count(*)::text AS n FROM audit.entries WHERE aggregate_id = ANY($1) GROUP BY event_id',
            [ids],
          );
          return rows.rowCount === expected.size && rows.rows.every((r) => r.n === '1' && expected.has(r.event_id));
        } finally {
          await pgAudit.end();
        }
      },
      { timeoutMs: 60_000, intervalMs: 250, what: 'audit-service to store every event once' },
    );
  });
});
