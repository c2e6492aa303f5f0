import { Client, Pool } from 'pg';
import { startSystem, System } from '@latchkey/testing';
import { percentile, report } from './report';

/**
 * `npm run bench:tokens`: token issuance throughput through the real token-service (HTTP + event store + outbox
 * + projection in one transaction), against a baseline measured in the same run: the bare PostgreSQL
 * transaction floor (one insert + one outbox-like insert per transaction, same concurrency). Then the token
 * manager at 100,000 tokens: p50/p95 of typical admin queries against GET /health/live through the same stack.
 */
const ISSUE_COUNT = Number(process.env.BENCH_ISSUE_COUNT ?? 2000);
const CONCURRENCY = 16;
const SEED = Number(process.env.BENCH_SEED_TOKENS ?? 100_000);

async function timed<T>(concurrency: number, total: number, task: (i: number) => Promise<T>): Promise<{ perSecond: number; latencies: number[] }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const t = performance.now();
        await task(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { perSecond: total / ((performance.now() - started) / 1000), latencies };
}

describe('bench: tokens', () => {
  let system: System;
  let db: Client;

  beforeAll(async () => {
    system = await startSystem();
    db = new Client({ connectionString: system.databaseUrl });
    await db.connect();
  }, 120_000);

  afterAll(async () => {
    await db?.end();
    await system?.stop();
  }, 60_000);

  it('issues tokens', async () => {
    const admin = system.bootstrapToken();
    const issue = await timed(CONCURRENCY, ISSUE_COUNT, async (i) => {
      const res = await system.token.fetch('/v1/tokens', {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: `bench-${i}`, scopes: ['read'], ownerId: `user-${i % 100}`, expiresInDays: 30 }),
      });
      if (res.status !== 201) throw new Error(`issue answered ${res.status}`);
      await res.arrayBuffer();
    });

    const pool = new Pool({ connectionString: system.databaseUrl, max: CONCURRENCY });
    await pool.query('CREATE TABLE IF NOT EXISTS public.bench_floor (id bigserial PRIMARY KEY, payload jsonb)');
    const floor = await timed(CONCURRENCY, ISSUE_COUNT, async (i) => {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        await c.query('INSERT INTO public.bench_floor (payload) VALUES ($1)', [JSON.stringify({ i, kind: 'event' })]);
        await c.query('INSERT INTO public.bench_floor (payload) VALUES ($1)', [JSON.stringify({ i, kind: 'outbox' })]);
        await c.query('COMMIT');
      } finally {
        c.release();
      }
    });
    await pool.end();

    report(`token issuance (${ISSUE_COUNT} tokens, ${CONCURRENCY} concurrent callers)`, {
      'issued per second': Math.round(issue.perSecond),
      'issue p50 ms': percentile(issue.latencies, 50),
      'issue p99 ms': percentile(issue.latencies, 99),
      'baseline: bare PostgreSQL 2-insert transactions per second': Math.round(floor.perSecond),
      'ratio (issuance / baseline)': issue.perSecond / floor.perSecond,
    });
    expect(issue.perSecond).toBeGreaterThan(0);
  });

  it(`answers token-manager queries at ${SEED} tokens`, async () => {
    const seeded = performance.now();
    await db.query(
      `INSERT INTO token.tokens (id, owner_id, created_by, name, status, scopes, created_at, expires_at, version, view, last_used_at, last_used_ip, use_count)
       SELECT id, owner, creator, name, status, scopes, created, expires, 1,
              jsonb_build_object('id', id, 'ownerId', owner, 'createdBy', creator, 'name', name, 'hint', 'lk_…seed', 'scopes', to_jsonb(scopes),
                'allowedCidrs', '[]'::jsonb, 'status', status, 'createdAt', created, 'expiresAt', expires, 'revokedAt', null, 'revokedReason', null,
                'secretGeneration', 1, 'previousSecretValidUntil', null, 'version', 1),
              used, CASE WHEN used IS NULL THEN NULL ELSE '10.0.0.' || (n % 250) END, CASE WHEN used IS NULL THEN 0 ELSE n % 1000 END
       FROM (SELECT n, gen_random_uuid() AS id, 'seed-user-' || (n % 2000) AS owner,
                    CASE WHEN n % 10 = 0 THEN 'admin' ELSE 'seed-user-' || (n % 2000) END AS creator,
                    'seed token ' || n AS name,
                    CASE WHEN n % 7 = 0 THEN 'revoked' ELSE 'active' END AS status,
                    CASE WHEN n % 3 = 0 THEN ARRAY['write'] ELSE ARRAY['read'] END AS scopes,
                    now() - make_interval(mins => n) AS created,
                    CASE WHEN n % 4 = 0 THEN NULL ELSE now() + make_interval(hours => n % 5000) END AS expires,
                    CASE WHEN n % 3 = 0 THEN NULL ELSE now() - make_interval(secs => n) END AS used
             FROM generate_series(1, $1) AS n) s`,
      [SEED],
    );
    await db.query('ANALYZE token.tokens');
    const seedSeconds = (performance.now() - seeded) / 1000;

    const admin = system.bootstrapToken();
    const queries = [
      '/v1/admin/tokens',
      '/v1/admin/tokens?status=active&sort=expires&order=asc',
      '/v1/admin/tokens?owner=seed-user-42',
      '/v1/admin/tokens?name=token%2012&limit=100',
      '/v1/admin/tokens?scope=write&neverUsed=true',
      '/v1/admin/tokens?onBehalf=true&sort=lastUsed',
      `/v1/admin/tokens?createdFrom=${encodeURIComponent(new Date(Date.now() - 86_400_000).toISOString())}&sort=name&order=asc`,
      `/v1/admin/tokens?lastUsedFrom=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}&status=active`,
    ];
    // a second page of each, through the cursor the first page returned
    for (const q of [...queries]) {
      const first = (await (await system.token.fetch(q, { headers: { authorization: `Bearer ${admin}` } })).json()) as { nextCursor: string | null };
      if (first.nextCursor) queries.push(`${q}${q.includes('?') ? '&' : '?'}cursor=${first.nextCursor}`);
    }
    const ROUNDS = 40;
    const manager = await timed(4, queries.length * ROUNDS, async (i) => {
      const res = await system.token.fetch(queries[i % queries.length], { headers: { authorization: `Bearer ${admin}` } });
      if (res.status !== 200) throw new Error(`${queries[i % queries.length]} answered ${res.status}`);
      await res.arrayBuffer();
    });
    const baseline = await timed(4, queries.length * ROUNDS, async () => {
      const res = await system.token.fetch('/health/live');
      await res.arrayBuffer();
    });
    const csvStarted = performance.now();
    const csv = await system.token.fetch('/v1/admin/tokens?scope=write', { headers: { authorization: `Bearer ${admin}`, accept: 'text/csv' } });
    const csvRows = (await csv.text()).split('\r\n').length - 2;
    const csvSeconds = (performance.now() - csvStarted) / 1000;

    report(`token manager at ${SEED} tokens (${queries.length} query shapes incl. cursor pages, ${ROUNDS} rounds, 4 concurrent)`, {
      'seeding (SQL) s': seedSeconds,
      'query p50 ms': percentile(manager.latencies, 50),
      'query p95 ms': percentile(manager.latencies, 95),
      'query max ms': Math.max(...manager.latencies),
      'baseline GET /health/live p95 ms': percentile(baseline.latencies, 95),
      'ratio (query p95 / baseline p95)': percentile(manager.latencies, 95) / percentile(baseline.latencies, 95),
      [`CSV export of ${csvRows} rows s`]: csvSeconds,
    });
    expect(percentile(manager.latencies, 95)).toBeGreaterThan(0);
  });
});
