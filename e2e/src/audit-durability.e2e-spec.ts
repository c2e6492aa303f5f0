import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { Topics, topicName } from '@latchkey/contracts';
import { createKafka, ensureTopics, KafkaEventPublisher } from '@latchkey/messaging';
import { createDatabase, infraDefaults, ServiceProcess, uniqueName, waitFor } from '@latchkey/testing';

const ADMIN = 'e2e-audit-admin-secret-0123456789';
const TOTAL = 10_000;

/** Nothing lost: audit-service is stopped (SIGTERM) while 10,000 events are produced, started again, and has each once. */
describe('audit-service durability across a restart', () => {
  const namespace = uniqueName('e2e_audit');
  const kafka = createKafka({ brokers: infraDefaults.kafkaBrokers, clientId: 'audit-durability-e2e' });
  const publisher = new KafkaEventPublisher(kafka);
  let db: Awaited<ReturnType<typeof createDatabase>>;
  let audit: ServiceProcess;

  beforeAll(async () => {
    db = await createDatabase('lk_e2e_audit');
    audit = new ServiceProcess({
      app: 'audit-service',
      port: 4090 + (process.pid % 9),
      label: `${namespace}-audit`,
      env: {
        DATABASE_URL: db.url,
        KAFKA_BROKERS: infraDefaults.kafkaBrokers.join(','),
        LATCHKEY_TOPIC_NAMESPACE: namespace,
        LATCHKEY_AUDIT_ADMIN_SECRET: ADMIN,
        LATCHKEY_AUDIT_SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
        LATCHKEY_AUDIT_SESSION_TIMEOUT_MS: '6000',
        LOG_LEVEL: 'warn',
      },
    });
    await ensureTopics(kafka, [Topics.token, Topics.usage].map((t) => topicName(t, namespace)));
    await audit.start({ timeoutMs: 90_000 });
  }, 120_000);

  afterAll(async () => {
    await audit?.stop();
    await publisher.disconnect().catch(() => undefined);
    const admin = kafka.admin();
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${namespace}.`));
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
    await db?.drop();
  }, 60_000);

  it('stores all 10,000 events exactly once and the chain verifies', async () => {
    const count = async () => {
      const c = new Client({ connectionString: db.url });
      await c.connect();
      try {
        const { rows } = await c.query<{ n: number; distinct: number }>('SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS distinct FROM audit.entries');
        return rows[0];
      } finally {
        await c.end();
      }
    };
    const ids: string[] = [];
    const produce = async (from: number, to: number) => {
      for (let i = from; i < to; i += 500) {
        const batch = Array.from({ length: Math.min(500, to - i) }, (_, j) => {
          const n = i + j;
          const eventId = randomUUID();
          ids.push(eventId);
          // half token events, half usage summaries, so two topics and two shapes are in flight
          return n % 2 === 0
            ? {
                topic: topicName(Topics.token, namespace),
                key: `t${n % 50}`,
                value: JSON.stringify({ eventId, type: 'TokenRenamed', aggregateType: 'token', aggregateId: `t${n % 50}`, version: n + 1, occurredAt: new Date().toISOString(), actor: { userId: 'alice', via: 'oidc' }, data: { name: `n${n}`, previousName: 'x' } }),
              }
            : {
                topic: topicName(Topics.usage, namespace),
                key: `t${n % 50}`,
                value: JSON.stringify({ type: 'TokenUsage', usageId: eventId, tokenId: `t${n % 50}`, userId: 'alice', replicaId: 'v1', count: 1, firstUsedAt: new Date().toISOString(), lastUsedAt: new Date().toISOString(), lastIp: '10.0.0.1', lastUserAgent: 'e2e' }),
              };
        });
        await publisher.publish(batch);
      }
    };

    await produce(0, 3_000);
    await waitFor(async () => (await count()).n > 0, { timeoutMs: 30_000, what: 'ingest to begin' });
    // stop it for real (SIGTERM) while the rest is produced
    const stopping = audit.stop();
    await produce(3_000, 6_000);
    await stopping;
    const whileDown = await count();
    await produce(6_000, TOTAL);
    expect(whileDown.n).toBeLessThan(TOTAL);

    await audit.start({ timeoutMs: 90_000 });
    await waitFor(async () => (await count()).n >= TOTAL, { timeoutMs: 120_000, intervalMs: 500, what: `${TOTAL} audit entries` });
    expect(await count()).toEqual({ n: TOTAL, distinct: TOTAL });
    expect(new Set(ids).size).toBe(TOTAL);

    const verify = await audit.fetch('/v1/audit/verify', { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(await verify.json()).toMatchObject({ ok: true, checked: TOTAL, headSeq: TOTAL });
  });
});
