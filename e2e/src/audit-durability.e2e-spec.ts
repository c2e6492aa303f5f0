import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { Topics, topicName } from '@latchkey/contracts';
import { createKafka, ensureTopics, KafkaEventPublisher } from '@latchkey/messaging';
import { infraDefaults, waitFor } from '@latchkey/testing';
import { startSystem, System } from './system';

const TOTAL = 10_000;

/** Nothing lost: audit-service is stopped (SIGTERM) while 10,000 events are produced, started again, and has each once. */
describe('audit-service durability across a restart', () => {
  const kafka = createKafka({ brokers: infraDefaults.kafkaBrokers, clientId: 'audit-durability-e2e' });
  const publisher = new KafkaEventPublisher(kafka);
  let system: System;
  let namespace: string;

  beforeAll(async () => {
    // token-service is there for the audit API's authentication (the bootstrap admin token); its own few events are not counted
    system = await startSystem({
      audit: true,
      auditEnv: {
        LATCHKEY_AUDIT_SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
        LATCHKEY_AUDIT_SESSION_TIMEOUT_MS: '6000',
        LOG_LEVEL: 'warn',
      },
    });
    namespace = system.namespace;
    await ensureTopics(kafka, [Topics.token, Topics.usage].map((t) => topicName(t, namespace)));
  }, 180_000);

  afterAll(async () => {
    await publisher.disconnect().catch(() => undefined);
    await system?.stop();
    const admin = kafka.admin();
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${namespace}.`));
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
  }, 60_000);

  it('stores all 10,000 events exactly once and the chain verifies', async () => {
    const count = async () => {
      const c = new Client({ connectionString: system.databaseUrl });
      await c.connect();
      try {
        // the produced events are about tokens t0..t49
        const { rows } = await c.query<{ n: number; distinct: number }>(
          `SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS distinct FROM audit.entries WHERE aggregate_id ~ '^t[0-9]+$'`,
        );
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
    const audit = system.audit!;
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

    const verify = await audit.fetch('/v1/audit/verify', { headers: { authorization: `Bearer ${system.bootstrapToken()}` } });
    const report = (await verify.json()) as { ok: boolean; checked: number; headSeq: number };
    expect(report.ok).toBe(true);
    expect(report.checked).toBe(report.headSeq);
    expect(report.checked).toBeGreaterThanOrEqual(TOTAL);
  });
});
