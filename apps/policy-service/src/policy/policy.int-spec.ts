import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { DEFAULT_POLICY_RULES, EMPTY_POLICY, POLICY_AGGREGATE, POLICY_STREAM_ID, PolicyEventTypes, SYSTEM_ACTOR } from '@latchkey/contracts';
import { PgEventStore } from '@latchkey/event-store';
import { ProblemDetailsFilter, strictValidationPipe } from '@latchkey/service-kit';
import { createAppModule } from '../app.module';
import { policyServiceEnvSchema } from '../config/policy-service.config';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/latchkey';

describe('GET /v1/policy against PostgreSQL', () => {
  const schema = `policy_it_${randomBytes(4).toString('hex')}`;
  const config = policyServiceEnvSchema.parse({ DATABASE_URL, LATCHKEY_POLICY_SCHEMA: schema, LOG_LEVEL: 'warn', LATCHKEY_TOPIC_NAMESPACE: `it_${schema}` });
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    app = await NestFactory.create(createAppModule(config), { logger: ['error', 'warn'] });
    app.useGlobalPipes(strictValidationPipe());
    app.useGlobalFilters(new ProblemDetailsFilter());
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
    const db = new Client({ connectionString: DATABASE_URL });
    await db.connect();
    await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await db.end();
  });

  it('migrates a fresh schema and answers the empty policy, then the stored one', async () => {
    const empty = await fetch(`${baseUrl}/v1/policy`);
    expect(empty.status).toBe(200);
    expect(empty.headers.get('etag')).toBe('"0"');
    expect(await empty.json()).toEqual(EMPTY_POLICY);

    const store = new PgEventStore(app.get<DataSource>(getDataSourceToken()), { schema, topicFor: () => 'unused' });
    await store.append(POLICY_STREAM_ID, POLICY_AGGREGATE, 0, [
      { type: PolicyEventTypes.changed, actor: SYSTEM_ACTOR, data: { rules: { deactivation: 'revoked' }, diff: [], warnings: [] } },
    ]);

    const stored = await fetch(`${baseUrl}/v1/policy`);
    expect(stored.headers.get('etag')).toBe('"1"');
    expect(await stored.json()).toEqual({ version: 1, rules: { ...DEFAULT_POLICY_RULES, deactivation: 'revoked' } });

    // fetch adds Cache-Control: no-cache to conditional requests unless told otherwise, and no-cache disables 304
    const unchanged = await fetch(`${baseUrl}/v1/policy`, { headers: { 'If-None-Match': '"1"', 'Cache-Control': 'max-age=0' } });
    expect(unchanged.status).toBe(304);

    const ready = await fetch(`${baseUrl}/health/ready`);
    expect(ready.status).toBe(200);
  });

  it('rejects query parameters with a 400 problem', async () => {
    const res = await fetch(`${baseUrl}/v1/policy?version=1`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });
});
