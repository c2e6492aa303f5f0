import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Actor } from '@latchkey/contracts';
import { createKafka, ensureTopics, IncomingMessage, KafkaEventPublisher, KafkaSubscriber } from '@latchkey/messaging';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { OutboxRelay } from './outbox-relay';
import { PgEventStore } from './pg-event-store';
import { dropEventStoreSchemaSql, eventStoreSchemaSql } from './schema';
import { randomSchema, TEST_DATABASE_URL, waitUntil } from './test-support';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../../..');
const broker = (cmd: 'start' | 'stop') =>
  run('bash', [path.join(ROOT, 'tools/infra/kafka.sh'), cmd], { cwd: ROOT, timeout: 120_000 });
// Stopping the one shared broker disturbs every other test running against it: opt in explicitly.
const brokerRestartIt = process.env.LATCHKEY_BROKER_RESTART_TESTS === '1' ? it : it.skip;

const actor: Actor = { userId: 'u1', via: 'system' };
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe(`${OutboxRelay.name} with Kafka`, () => {
  const schema = randomSchema('relay_kafka');
  const topic = `it-relay-${schema}`;
  const dataSource = new DataSource({ type: 'postgres', url: TEST_DATABASE_URL });
  let kafka: Kafka;
  let publisher: KafkaEventPublisher;
  let relay: OutboxRelay;
  let subscriber: KafkaSubscriber;
  let store: PgEventStore;
  const received: IncomingMessage[] = [];

  beforeAll(async () => {
    await dataSource.initialize();
    for (const sql of eventStoreSchemaSql(schema)) await dataSource.query(sql);
    store = new PgEventStore(dataSource, { schema, topicFor: () => topic });
    kafka = createKafka({ brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), clientId: schema, logger: quiet });
    await ensureTopics(kafka, [topic], 3);
    publisher = new KafkaEventPublisher(kafka);
    relay = new OutboxRelay(dataSource, publisher, { schema, databaseUrl: TEST_DATABASE_URL, pollIntervalMs: 200, logger: quiet });
    subscriber = new KafkaSubscriber({
      kafka,
      groupId: `it-${schema}`,
      topics: [topic],
      fromBeginning: true,
      sessionTimeout: 6_000,
      logger: quiet,
      handler: async (m) => void received.push(m),
    });
    await subscriber.start();
    relay.start();
  });

  afterAll(async () => {
    await relay.stop();
    await subscriber.stop();
    await publisher.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    for (const sql of dropEventStoreSchemaSql(schema)) await dataSource.query(sql);
    await dataSource.destroy();
  });

  const versionsOf = (streamId: string) =>
    received.filter((m) => m.key === streamId).map((m) => (JSON.parse(m.value) as { version: number }).version);

  it('delivers appended events to Kafka keyed by stream, in order, with headers', async () => {
    for (let v = 0; v < 5; v++) {
      await Promise.all(['x', 'y'].map((s) => store.append(s, 'token', v, [{ type: 'E', actor, data: { v } }])));
    }
    await waitUntil(() => received.length >= 10, 30_000, 'ten events on Kafka');
    expect(versionsOf('x')).toEqual([1, 2, 3, 4, 5]);
    expect(versionsOf('y')).toEqual([1, 2, 3, 4, 5]);
    expect(received[0].headers['latchkey-event-type']).toBe('E');
  });

  brokerRestartIt('keeps events appended while the broker is down and delivers them after it returns', async () => {
    await broker('stop');
    try {
      for (let v = 0; v < 3; v++) await store.append('z', 'token', v, [{ type: 'E', actor, data: {} }]);
      await waitUntil(() => !relay.healthy, 30_000, 'the relay to notice the broker is down');
      expect(await relay.pending()).toBe(3);
    } finally {
      await broker('start');
    }
    await waitUntil(() => versionsOf('z').length >= 3, 90_000, 'delivery after the broker returned');
    expect([...new Set(versionsOf('z'))]).toEqual([1, 2, 3]);
    expect(await relay.pending()).toBe(0);
  });
});
