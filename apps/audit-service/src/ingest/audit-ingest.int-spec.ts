import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { Registry } from 'prom-client';
import { Topics, topicName } from '@latchkey/contracts';
import { createKafka, KafkaEventPublisher } from '@latchkey/messaging';
import { METRICS_REGISTRY, ProblemDetailsFilter, strictValidationPipe } from '@latchkey/service-kit';
import { infraDefaults, waitFor } from '@latchkey/testing';
import { createAppModule } from '../app.module';
import { auditServiceEnvSchema } from '../config/audit-service.config';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/latchkey';

async function counter(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const metric = await registry.getSingleMetric(name)?.get();
  return metric?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value ?? 0;
}

describe('audit ingest against Kafka and PostgreSQL', () => {
  const suffix = randomBytes(4).toString('hex');
  const namespace = `it-audit-${suffix}`;
  const schema = `audit_it_${suffix}`;
  const topic = topicName(Topics.token, namespace);
  const config = auditServiceEnvSchema.parse({
    DATABASE_URL,
    KAFKA_BROKERS: infraDefaults.kafkaBrokers.join(','),
    LATCHKEY_TOPIC_NAMESPACE: namespace,
    LATCHKEY_AUDIT_SCHEMA: schema,
    LOG_LEVEL: 'warn',
  });
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'audit-int-spec' });
  const publisher = new KafkaEventPublisher(kafka);
  let app: INestApplication;
  let baseUrl: string;
  let registry: Registry;

  beforeAll(async () => {
    app = await NestFactory.create(createAppModule(config), { logger: ['error', 'warn'] });
    app.useGlobalPipes(strictValidationPipe());
    app.useGlobalFilters(new ProblemDetailsFilter());
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
    registry = app.get<Registry>(METRICS_REGISTRY);
  });

  afterAll(async () => {
    await publisher.disconnect().catch(() => undefined);
    await app?.close();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    const db = new Client({ connectionString: DATABASE_URL });
    await db.connect();
    await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await db.end();
  });

  it('records an event delivered twice once, and counts a garbage message without stopping', async () => {
    const tokenId = randomUUID();
    const event = {
      eventId: randomUUID(),
      type: 'TokenIssued',
      aggregateType: 'token',
      aggregateId: tokenId,
      version: 1,
      occurredAt: new Date().toISOString(),
      actor: { userId: 'alice', via: 'oidc' },
      data: { name: 'ci', ownerId: 'alice', scopes: ['read'], allowedCidrs: [], expiresAt: null, hint: 'lk_…abcd' },
      state: { id: tokenId, ownerId: 'alice', status: 'active' },
    };
    // one key, so one partition: once the garbage (published last) is counted, both copies were handled
    await publisher.publish([
      { topic, key: tokenId, value: JSON.stringify(event) },
      { topic, key: tokenId, value: JSON.stringify(event) },
      { topic, key: tokenId, value: '{"definitely": "not an envelope"' },
    ]);

    await waitFor(async () => (await counter(registry, 'latchkey_audit_rejected_total', { reason: 'not_json' })) === 1, {
      timeoutMs: 60_000,
      what: 'the garbage message to be rejected',
    });
    expect(await counter(registry, 'latchkey_audit_events_total', { outcome: 'inserted' })).toBe(1);
    expect(await counter(registry, 'latchkey_audit_events_total', { outcome: 'duplicate' })).toBe(1);

    const db = new Client({ connectionString: DATABASE_URL });
    await db.connect();
    try {
      const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".entries`);
      expect(rows[0].n).toBe(1);
    } finally {
      await db.end();
    }

    const res = await fetch(`${baseUrl}/v1/audit?tokenId=${tokenId}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: Array<Record<string, unknown>> };
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({
      eventId: event.eventId,
      topic,
      type: 'TokenIssued',
      aggregateType: 'token',
      aggregateId: tokenId,
      version: 1,
      actor: { userId: 'alice', via: 'oidc' },
      occurredAt: event.occurredAt,
      payload: event,
    });

    const ready = await fetch(`${baseUrl}/health/ready`);
    expect(ready.status).toBe(200);
  });

  it('answers a bad filter with a 400 problem', async () => {
    const res = await fetch(`${baseUrl}/v1/audit?limit=501`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });
});
