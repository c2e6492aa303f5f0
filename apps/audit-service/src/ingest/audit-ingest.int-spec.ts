import 'reflect-metadata';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Kafka } from 'kafkajs';
import { Client } from 'pg';
import { Registry } from 'prom-client';
import { AuditEcsRecord, Topics, topicName } from '@latchkey/contracts';
import { latchkeyTokenPrincipal, LatchkeyTokenAuthenticator } from '@latchkey/auth';
import { createKafka, KafkaEventPublisher } from '@latchkey/messaging';
import { METRICS_REGISTRY, ProblemDetailsFilter, strictValidationPipe } from '@latchkey/service-kit';
import { infraDefaults, waitFor } from '@latchkey/testing';
import { createAppModule } from '../app.module';
import { auditDlqTopic, auditServiceEnvSchema } from '../config/audit-service.config';
import { CheckpointService } from '../chain/checkpoint.service';
import { RetentionService } from '../retention/retention.service';
import { AuditEntryRepository } from '../entries/audit-entry.repository';
import { hashRecord } from '../entries/domain/audit-record';
import { DeadLetterHeaders } from './dead-letter.port';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/latchkey';
const ADMIN = 'int-spec-admin-token';
const READER = 'int-spec-read-token';

/** In-process stand-in for token-service's lookup: one admin-scope token, one read-scope token. */
const tokens: LatchkeyTokenAuthenticator = {
  authenticate: async (bearer) =>
    bearer === ADMIN
      ? latchkeyTokenPrincipal({ id: 'tok-admin', ownerId: 'admin', scopes: ['admin'] })
      : bearer === READER
        ? latchkeyTokenPrincipal({ id: 'tok-reader', ownerId: 'alice', scopes: ['read'] })
        : null,
};

async function counter(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const metric = await registry.getSingleMetric(name)?.get();
  return metric?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value ?? 0;
}

/** Reads a whole topic from the beginning with a throw-away group. */
async function readTopic(kafka: Kafka, topic: string, expected: number): Promise<Array<{ key: string; value: string; headers: Record<string, string> }>> {
  const out: Array<{ key: string; value: string; headers: Record<string, string> }> = [];
  const consumer = kafka.consumer({ groupId: `int-reader-${randomUUID()}`, sessionTimeout: 6_000, heartbeatInterval: 2_000 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(Array.isArray(v) ? v[0] : v)]));
      out.push({ key: message.key?.toString() ?? '', value: message.value?.toString() ?? '', headers });
    },
  });
  try {
    await waitFor(() => out.length >= expected, { timeoutMs: 60_000, what: `${expected} messages on ${topic}` });
  } finally {
    await consumer.disconnect();
  }
  return out;
}

const tokenEvent = (tokenId: string, type: string, version: number, over: Record<string, unknown> = {}) => ({
  eventId: randomUUID(),
  type,
  aggregateType: 'token',
  aggregateId: tokenId,
  version,
  occurredAt: new Date().toISOString(),
  actor: { userId: 'admin', via: 'oidc', onBehalfOf: 'alice' },
  data: type === 'TokenRevoked' ? { reason: 'leaked' } : { name: 'ci', ownerId: 'alice', scopes: ['read'], allowedCidrs: [], expiresAt: null, hint: 'lk_…abcd' },
  state: { id: tokenId, ownerId: 'alice', name: 'ci', scopes: ['read'], status: type === 'TokenRevoked' ? 'revoked' : 'active', expiresAt: null },
  ...over,
});

describe('audit-service against Kafka and PostgreSQL', () => {
  const suffix = randomBytes(4).toString('hex');
  const namespace = `it-audit-${suffix}`;
  const schema = `audit_it_${suffix}`;
  const tokenTopic = topicName(Topics.token, namespace);
  const config = auditServiceEnvSchema.parse({
    DATABASE_URL,
    KAFKA_BROKERS: infraDefaults.kafkaBrokers.join(','),
    LATCHKEY_TOPIC_NAMESPACE: namespace,
    LATCHKEY_AUDIT_SCHEMA: schema,
    LATCHKEY_AUDIT_SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    LATCHKEY_AUDIT_CHECKPOINT_INTERVAL_MS: '3600000',
    LOG_LEVEL: 'warn',
  });
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'audit-int-spec' });
  const publisher = new KafkaEventPublisher(kafka);
  const db = new Client({ connectionString: DATABASE_URL });
  let app: INestApplication;
  let baseUrl: string;
  let registry: Registry;
  const get = (path: string, auth = ADMIN) => fetch(`${baseUrl}${path}`, { headers: auth ? { authorization: `Bearer ${auth}` } : {} });
  const verify = async (query = '') => (await (await get(`/v1/audit/verify${query}`)).json()) as Record<string, unknown> & { firstBroken: Record<string, unknown> | null };

  beforeAll(async () => {
    await db.connect();
    app = await NestFactory.create(createAppModule(config, { latchkeyTokens: { useValue: tokens } }), { logger: ['error'] });
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
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${namespace}.`));
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
    await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await db.end();
  });

  it('records every topic once, dead-letters garbage with its reason, ignores heartbeats, and feeds the SIEM', async () => {
    const tokenId = randomUUID();
    const issued = tokenEvent(tokenId, 'TokenIssued', 1);
    const revoked = tokenEvent(tokenId, 'TokenRevoked', 2);
    const denial = {
      type: 'AccessDenied', decisionId: randomUUID(), occurredAt: new Date().toISOString(), replicaId: 'v1', channel: 'json', code: 'REVOKED',
      tokenId, userId: 'alice', method: 'GET', path: '/rest/api/2/myself', ip: '203.0.113.7', userAgent: 'curl/8.5', droppedBefore: 0,
    };
    const usage = {
      type: 'TokenUsage', usageId: randomUUID(), tokenId, userId: 'alice', replicaId: 'v1', count: 3,
      firstUsedAt: new Date().toISOString(), lastUsedAt: new Date().toISOString(), lastIp: '198.51.100.4', lastUserAgent: 'Zapier',
    };
    const group = {
      eventId: randomUUID(), type: 'MemberAdded', aggregateType: 'group', aggregateId: 'devs', version: 1, occurredAt: new Date().toISOString(),
      actor: { userId: 'okta', via: 'scim' }, data: { userId: 'alice', groupId: 'devs' },
    };
    const policy = {
      eventId: randomUUID(), type: 'PolicyChanged', aggregateType: 'policy', aggregateId: 'policy', version: 3, occurredAt: new Date().toISOString(),
      actor: { userId: 'admin', via: 'oidc' }, data: { document: { version: 3 }, diff: [] },
    };
    await publisher.publish([
      { topic: tokenTopic, key: tokenId, value: JSON.stringify(issued) },
      { topic: tokenTopic, key: tokenId, value: JSON.stringify(issued) },
      { topic: tokenTopic, key: tokenId, value: JSON.stringify({ type: 'Heartbeat' }), headers: { 'latchkey-event-type': 'Heartbeat' } },
      { topic: tokenTopic, key: tokenId, value: JSON.stringify(revoked) },
      { topic: tokenTopic, key: tokenId, value: '{"definitely": "not an envelope"' },
      { topic: topicName(Topics.decision, namespace), key: tokenId, value: JSON.stringify(denial) },
      { topic: topicName(Topics.usage, namespace), key: tokenId, value: JSON.stringify(usage) },
      { topic: topicName(Topics.directory, namespace), key: 'devs', value: JSON.stringify(group) },
      { topic: topicName(Topics.policy, namespace), key: 'policy', value: JSON.stringify(policy) },
    ]);

    await waitFor(async () => (await counter(registry, 'latchkey_audit_events_total', { outcome: 'inserted' })) === 6, { timeoutMs: 60_000, what: '6 entries' });
    await waitFor(async () => (await counter(registry, 'latchkey_audit_rejected_total', { reason: 'not_json' })) === 1, { timeoutMs: 30_000, what: 'the rejected message' });
    expect(await counter(registry, 'latchkey_audit_events_total', { outcome: 'duplicate' })).toBe(1);
    expect(await counter(registry, 'latchkey_audit_ignored_total', { why: 'heartbeat' })).toBe(1);
    expect(await (await fetch(`${baseUrl}/metrics`)).text()).toContain('latchkey_audit_rejected_total{reason="not_json"} 1');

    const [letter] = await readTopic(kafka, auditDlqTopic(namespace), 1);
    expect(letter.value).toBe('{"definitely": "not an envelope"');
    expect(letter.headers).toMatchObject({ [DeadLetterHeaders.reason]: 'not_json', [DeadLetterHeaders.topic]: tokenTopic });

    // readable entries, newest first, with the filters of the contract
    const res = await get(`/v1/audit?tokenId=${tokenId}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: Array<Record<string, unknown>>; nextCursor: string | null };
    expect(body.items.map((e) => e.action).sort()).toEqual(['AccessDenied', 'TokenIssued', 'TokenRevoked', 'TokenUsage']);
    expect(body.items.find((e) => e.action === 'TokenRevoked')).toMatchObject({ actorId: 'admin', onBehalfOf: 'alice', ownerId: 'alice', reason: 'leaked', outcome: 'success' });
    expect(body.items.find((e) => e.action === 'AccessDenied')).toMatchObject({ outcome: 'failure', reason: 'REVOKED', ip: '203.0.113.7', userAgent: 'curl/8.5' });
    const seqs = body.items.map((e) => e.seq as number);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));

    const failures = (await (await get('/v1/audit?outcome=failure')).json()) as { items: unknown[] };
    expect(failures.items).toHaveLength(1);
    const byIp = (await (await get('/v1/audit?ip=198.51.100.4')).json()) as { items: Array<{ action: string }> };
    expect(byIp.items.map((e) => e.action)).toEqual(['TokenUsage']);
    const byGroupAction = (await (await get('/v1/audit?action=MemberAdded&actor=okta')).json()) as { items: Array<{ groupId: string; userId: string }> };
    expect(byGroupAction.items).toMatchObject([{ groupId: 'devs', userId: 'alice' }]);

    // cursor pagination walks every entry once
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page = (await (await get(`/v1/audit?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json()) as { items: Array<{ seq: number }>; nextCursor: string | null };
      seen.push(...page.items.map((e) => e.seq));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([6, 5, 4, 3, 2, 1]);

    // the SIEM feed: one ECS record per entry, keyed by event id
    const records = await readTopic(kafka, topicName(Topics.audit, namespace), 6);
    expect(records.map((r) => r.key).sort()).toEqual([issued.eventId, revoked.eventId, denial.decisionId, usage.usageId, group.eventId, policy.eventId].sort());
    for (const r of records) {
      const ecs = JSON.parse(r.value) as AuditEcsRecord;
      expect(ecs.event.id).toBe(r.key);
      expect(new Date(ecs['@timestamp']).toISOString()).toBe(ecs['@timestamp']);
      expect(ecs.latchkey.chain.hash).toMatch(/^[0-9a-f]{64}$/);
    }
    const denied = records.map((r) => JSON.parse(r.value) as AuditEcsRecord).find((e) => e.event.action === 'AccessDenied');
    expect(denied).toMatchObject({ event: { outcome: 'failure', reason: 'REVOKED' }, source: { ip: '203.0.113.7' }, user_agent: { original: 'curl/8.5' }, user: { name: 'alice' } });

    expect((await get('/health/ready', '')).status).toBe(200);
  });

  it('streams the export as NDJSON and CSV', async () => {
    const nd = await get('/v1/audit/export?format=ndjson');
    expect(nd.status).toBe(200);
    expect(nd.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (await nd.text()).trim().split('\n').map((l) => JSON.parse(l) as { seq: number });
    expect(lines.map((l) => l.seq)).toEqual([6, 5, 4, 3, 2, 1]);
    const csv = await get('/v1/audit/export?format=csv&outcome=failure');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const rows = (await csv.text()).trim().split('\r\n');
    expect(rows[0]).toMatch(/^seq,occurredAt,action,outcome/);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain('AccessDenied');
  });

  it('refuses callers who are not administrators, and bad filters with a 400 problem', async () => {
    for (const path of ['/v1/audit', '/v1/audit/export', '/v1/audit/verify']) {
      expect((await get(path, '')).status).toBe(401);
      expect((await get(path, 'wrong-secret-wrong-secret')).status).toBe(401);
      expect((await get(path, READER)).status).toBe(403);
    }
    for (const q of ['limit=501', 'from=yesterday', 'action=TokenStolen', 'ip=1.2.3', 'cursor=czA', 'from=2025-02-01T00:00:00Z&to=2025-01-01T00:00:00Z']) {
      const res = await get(`/v1/audit?${q}`);
      expect([q, res.status]).toEqual([q, 400]);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await get('/v1/audit/export?format=xml')).status).toBe(400);
    expect((await get('/v1/audit/verify?fromSeq=5&toSeq=2')).status).toBe(400);
  });

  it('keeps one linear chain under concurrent appends (as from two replicas)', async () => {
    const repo = app.get(AuditEntryRepository);
    const records = Array.from({ length: 40 }, (_, i) => hashRecord({
      eventId: randomUUID(), topic: tokenTopic, type: 'TokenRenamed', category: 'token' as const, action: 'TokenRenamed', outcome: 'success' as const,
      reason: null, aggregateType: 'token', aggregateId: `c${i}`, version: 1, occurredAt: new Date().toISOString(), actorId: 'alice', actorVia: 'oidc',
      actorTokenId: null, onBehalfOf: null, ownerId: 'alice', tokenId: `c${i}`, userId: 'alice', groupId: null, ip: null, userAgent: null, payload: { i },
    }));
    // the same events appended twice, concurrently, in 8 parallel transactions
    await Promise.all([...records, ...records].map((r, i) => (i % 5 === 0 ? repo.append([r]) : repo.append([r, records[(i * 7) % records.length]]))));
    expect(await repo.count()).toBe(46);
    expect(await verify()).toMatchObject({ ok: true, checked: 46, headSeq: 46 });
  });

  it('verifies checkpoints, erases old denial detail without breaking the chain, and finds tampering at the right entry', async () => {
    const checkpoint = await app.get(CheckpointService).checkpointNow();
    expect(checkpoint).toMatchObject({ seq: 46 });
    expect(await verify()).toMatchObject({ ok: true, checkpointsChecked: 1, latestCheckpoint: { seq: 46 } });

    // retention: a denial from 400 days ago loses its IP, user agent and payload; the chain still verifies
    const old = {
      type: 'AccessDenied', decisionId: randomUUID(), occurredAt: new Date(Date.now() - 400 * 86_400_000).toISOString(), replicaId: 'v1', channel: 'json',
      code: 'IP_DENIED', tokenId: null, userId: null, method: 'GET', path: '/', ip: '192.0.2.99', userAgent: 'old', droppedBefore: 0,
    };
    await publisher.publish([{ topic: topicName(Topics.decision, namespace), key: old.decisionId, value: JSON.stringify(old) }]);
    const repo = app.get(AuditEntryRepository);
    await waitFor(async () => (await repo.count()) === 47, { timeoutMs: 30_000, what: 'the old denial' });
    expect(await app.get(RetentionService).runOnce()).toBe(1);
    const [erased] = (await db.query(`SELECT source_ip, payload, erased_at FROM "${schema}".entries WHERE event_id = $1`, [old.decisionId])).rows;
    expect(erased).toMatchObject({ source_ip: null, payload: null });
    expect(erased.erased_at).not.toBeNull();
    expect(await verify()).toMatchObject({ ok: true, checked: 47, erased: 1 });

    // the trigger refuses changes through the service's own role
    await expect(db.query(`UPDATE "${schema}".entries SET action = 'X' WHERE seq = 3`)).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM "${schema}".entries WHERE seq = 3`)).rejects.toThrow(/append-only/);
    await expect(db.query(`TRUNCATE "${schema}".entries`)).rejects.toThrow(/append-only/);

    // a superuser bypassing the trigger: an altered row, then a deleted row, then a cut tail
    const tamper = async (sql: string) => {
      const c = new Client({ connectionString: DATABASE_URL });
      await c.connect();
      try {
        await c.query(`SET session_replication_role = replica`);
        await c.query(sql);
      } finally {
        await c.end();
      }
    };
    await tamper(`UPDATE "${schema}".entries SET outcome = 'failure' WHERE seq = 12`);
    expect((await verify()).firstBroken).toMatchObject({ seq: 12, problem: 'content_altered' });
    expect(await verify('?fromSeq=13')).toMatchObject({ ok: true });
    await tamper(`UPDATE "${schema}".entries SET source_ip = '10.6.6.6' WHERE seq = 5`);
    expect((await verify()).firstBroken).toMatchObject({ seq: 5, problem: 'content_altered' });
    await tamper(`DELETE FROM "${schema}".entries WHERE seq = 3`);
    expect((await verify()).firstBroken).toMatchObject({ seq: 3, problem: 'missing_entry' });
    expect((await verify('?fromSeq=20&toSeq=30')).ok).toBe(true);

    // cutting the tail and rewinding the head row still leaves the signed checkpoint at 46
    await tamper(`DELETE FROM "${schema}".entries WHERE seq > 40`);
    await tamper(`UPDATE "${schema}".chain_head SET seq = 40, hash = (SELECT hash FROM "${schema}".entries WHERE seq = 40)`);
    expect((await verify('?fromSeq=13')).firstBroken).toMatchObject({ seq: 41, problem: 'tail_truncated' });
  });
});
