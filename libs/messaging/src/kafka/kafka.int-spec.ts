import { randomBytes } from 'node:crypto';
import { Kafka } from 'kafkajs';
import { IncomingMessage } from '../event-subscriber.port';
import { MessagingLogger } from '../logger';
import { createKafka, ensureTopics } from './kafka-connection';
import { KafkaEventPublisher } from './kafka-event-publisher';
import { KafkaSubscriber } from './kafka-subscriber';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
const createdTopics: string[] = [];
const newTopic = (prefix: string) => {
  const t = unique(prefix);
  createdTopics.push(t);
  return t;
};
const logs: string[] = [];
const logger: MessagingLogger = { info: () => undefined, warn: (m) => logs.push(m), error: (m) => logs.push(m) };

async function waitUntil(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('Kafka driver', () => {
  let kafka: Kafka;
  let publisher: KafkaEventPublisher;
  const subscribers: KafkaSubscriber[] = [];

  function subscriber(topics: string[], handler: (m: IncomingMessage) => Promise<void>, groupId = unique('g')) {
    const s = new KafkaSubscriber({ kafka, groupId, topics, fromBeginning: true, sessionTimeout: 6_000, handler, logger });
    subscribers.push(s);
    return s;
  }

  beforeAll(async () => {
    kafka = createKafka({ brokers, clientId: unique('int-test'), logger });
    publisher = new KafkaEventPublisher(kafka);
    await publisher.connect();
  });

  afterAll(async () => {
    await Promise.all(subscribers.map((s) => s.stop()));
    await publisher.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: createdTopics }).catch(() => undefined);
    await admin.disconnect();
  });

  it('round-trips messages in per-key order and reports caught-up only after the backlog is handled', async () => {
    const [topicA, topicB] = [newTopic('it-a'), newTopic('it-b')];
    await ensureTopics(kafka, [topicA, topicB], 3);
    await ensureTopics(kafka, [topicA, topicB], 3); // idempotent

    const n = 40;
    const sent = Array.from({ length: n }, (_, i) => ({
      topic: i % 4 === 0 ? topicB : topicA,
      key: `agg-${i % 5}`,
      value: JSON.stringify({ seq: i }),
      headers: { 'latchkey-event-id': `e${i}` },
    }));
    await publisher.publish(sent.slice(0, 25));
    await publisher.publish(sent.slice(25));

    const handled: IncomingMessage[] = [];
    let caughtUpEarly = false;
    const s = subscriber([topicA, topicB], async (m) => {
      if (s.caughtUp()) caughtUpEarly = true;
      handled.push(m);
    });
    await s.start();
    expect(s.caughtUp()).toBe(handled.length === n);
    await s.whenCaughtUp(60_000);

    expect(caughtUpEarly).toBe(false);
    expect(handled).toHaveLength(n);
    for (let k = 0; k < 5; k++) {
      const key = `agg-${k}`;
      const seqs = (topic: string, list: { topic: string; key: string | null; value: string }[]) =>
        list.filter((m) => m.topic === topic && m.key === key).map((m) => (JSON.parse(m.value) as { seq: number }).seq);
      expect(seqs(topicA, handled)).toEqual(seqs(topicA, sent));
      expect(seqs(topicB, handled)).toEqual(seqs(topicB, sent));
    }
    const first = handled.find((m) => m.value === JSON.stringify({ seq: 0 }));
    expect(first?.headers).toEqual({ 'latchkey-event-id': 'e0' });
    expect(first?.key).toBe('agg-0');

    // live messages keep flowing after catch-up
    await publisher.publish([{ topic: topicA, key: 'live', value: 'x' }]);
    await waitUntil(() => handled.some((m) => m.key === 'live'), 20_000, 'the live message');
  });

  it('is caught up at once on empty topics', async () => {
    const topic = newTopic('it-empty');
    await ensureTopics(kafka, [topic], 2);
    const s = subscriber([topic], async () => undefined);
    await s.start();
    expect(s.caughtUp()).toBe(true);
    await s.whenCaughtUp(1);
  });

  it('retries a message whose handler failed instead of skipping it', async () => {
    const topic = newTopic('it-retry');
    await ensureTopics(kafka, [topic], 1);
    await publisher.publish([
      { topic, key: 'k', value: '1' },
      { topic, key: 'k', value: '2' },
      { topic, key: 'k', value: '3' },
    ]);
    const handled: string[] = [];
    let failures = 0;
    const s = subscriber([topic], async (m) => {
      if (m.value === '2' && failures < 2) {
        failures++;
        throw new TypeError('projection not ready');
      }
      handled.push(m.value);
    });
    await s.start();
    await s.whenCaughtUp(60_000);
    expect(handled.filter((v) => v !== '1')).toEqual(['2', '3']);
    expect(failures).toBe(2);
    expect(logs.some((l) => l.includes('projection not ready'))).toBe(true);
  });

  it('resumes a work-sharing group from its committed offsets and counts them as caught up', async () => {
    const topic = newTopic('it-group');
    const groupId = unique('shared');
    await ensureTopics(kafka, [topic], 2);
    await publisher.publish(Array.from({ length: 10 }, (_, i) => ({ topic, key: `k${i}`, value: String(i) })));
    const first: string[] = [];
    const s1 = subscriber([topic], async (m) => void first.push(m.value), groupId);
    await s1.start();
    await s1.whenCaughtUp(60_000);
    await s1.stop(); // commits and leaves the group

    const second: string[] = [];
    const s2 = subscriber([topic], async (m) => void second.push(m.value), groupId);
    await s2.start();
    await s2.whenCaughtUp(60_000);
    expect(first).toHaveLength(10);
    expect(second).toHaveLength(0);
  });

  it('commits handled positions in the background, without waiting for stop()', async () => {
    const topic = newTopic('it-commit');
    const groupId = unique('committing');
    await ensureTopics(kafka, [topic], 2);
    await publisher.publish(Array.from({ length: 6 }, (_, i) => ({ topic, key: `k${i}`, value: String(i) })));
    const s = subscriber([topic], async () => undefined, groupId);
    await s.start();
    await s.whenCaughtUp(60_000);
    const admin = kafka.admin();
    await admin.connect();
    try {
      const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, p.high]));
      const committedAtEnd = async () => {
        const [{ partitions }] = await admin.fetchOffsets({ groupId, topics: [topic] });
        return partitions.every((p) => p.offset === ends.get(p.partition));
      };
      const deadline = Date.now() + 10_000;
      while (!(await committedAtEnd())) {
        if (Date.now() > deadline) throw new Error('offsets not committed within 10 s');
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await admin.disconnect();
    }
  });

  it('fails within seconds when no broker answers', async () => {
    const dead = createKafka({ brokers: ['127.0.0.1:1'], clientId: unique('dead'), logger });
    const p = new KafkaEventPublisher(dead);
    const started = Date.now();
    await expect(p.publish([{ topic: 'nowhere', key: 'k', value: 'v' }])).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(15_000);
    await p.disconnect();
  });
});
