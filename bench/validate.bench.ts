import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import autocannon from 'autocannon';
import Redis from 'ioredis';
import { IssueTokenResponse, TokenView } from '@latchkey/contracts';
import { api, clientAuthorization, ServiceProcess, startSystem, System, waitFor } from '@latchkey/testing';
import { generateToken, hashToken } from '@latchkey/token-format';
import { percentile, report } from './report';

/**
 * `npm run bench:validate`: POST /v1/validate on a cache hit vs a bare node:http server answering a fixed 200, same
 * machine, same run, same autocannon settings (50 connections); p99 of cache misses (from Redis, from token-service);
 * RSS of a replica holding 100,000 cached tokens.
 */
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 5);
const HIT_ROUNDS = Number(process.env.BENCH_HIT_ROUNDS ?? 3);
const CONNECTIONS = 50;
const MISSES = Number(process.env.BENCH_MISSES ?? 300);
const CACHED = Number(process.env.BENCH_CACHED_TOKENS ?? 100_000);
/** which parts to run (all by default): `BENCH_PARTS=memory` iterates on the memory figure alone */
const PARTS = new Set((process.env.BENCH_PARTS ?? 'hit,miss,memory').split(','));

const BARE_SERVER = `require('node:http').createServer((req, res) => { req.resume(); req.on('end', () => { res.setHeader('content-type', 'application/json'); res.end('{"valid":true}'); }); }).listen(Number(process.argv[1]), '127.0.0.1', () => console.log('listening'));`;

async function cannon(url: string, init: { method?: 'POST' | 'GET'; headers?: Record<string, string>; body?: string } = {}) {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, method: init.method ?? 'GET', headers: init.headers, body: init.body });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
}

async function timedEach(concurrency: number, items: string[], task: (item: string) => Promise<void>): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next++];
        const t = performance.now();
        await task(item);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return latencies;
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line?.split(/\s+/)[1] ?? NaN) / 1024;
}

describe('bench: validate', () => {
  let system: System;
  let bare: ChildProcess;
  const barePort = 4700 + (process.pid % 90);

  beforeAll(async () => {
    system = await startSystem({ validators: 2, validatorEnv: { LOG_LEVEL: 'warn', LATCHKEY_CACHE_MAX_ENTRIES: String(CACHED * 2) } });
    bare = spawn(process.execPath, ['-e', BARE_SERVER, String(barePort)], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => bare.stdout?.once('data', () => resolve()));
  }, 180_000);

  afterAll(async () => {
    agent.destroy();
    bare?.kill();
    await system?.stop();
  }, 60_000);

  const post = (v: ServiceProcess, token: string) =>
    v.fetch('/v1/validate', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: clientAuthorization() },
      body: JSON.stringify({ token, method: 'GET', path: '/rest/api/2/myself', ip: '10.1.2.3' }),
    });

  // the timed single requests go through node:http with keep-alive (undici's fetch inside jest costs the client
  // several ms per request at 10 concurrent callers, which would hide the server's own latency)
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const postTimed = (v: ServiceProcess, token: string) =>
    new Promise<{ code: string }>((resolve, reject) => {
      const body = JSON.stringify({ token, method: 'GET', path: '/rest/api/2/myself', ip: '10.1.2.3' });
      const req = request(
        `${v.baseUrl}/v1/validate`,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: clientAuthorization() },
        },
        (res) => {
          let data = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (data += c));
          res.on('end', () => {
            try {
              resolve(JSON.parse(data) as { code: string });
            } catch (err) {
              reject(err);
            }
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  const check = async (v: ServiceProcess, t: string) => {
    const d = await postTimed(v, t);
    if (d.code !== 'VALID') throw new Error(`expected VALID, got ${d.code}`);
  };

  async function cacheHit(v: ServiceProcess, secret: string) {
    const body = JSON.stringify({ token: secret, method: 'GET', path: '/rest/api/2/myself', ip: '10.1.2.3' });
    const headers = { 'content-type': 'application/json', authorization: clientAuthorization() };
    // bare and validate take turns (bare first and last), so a slow patch of a shared machine hits both; each
    // round's ratio is validate over the mean of the bare runs around it, and the median round is reported
    const bare = [await cannon(`http://127.0.0.1:${barePort}/`, { method: 'POST', headers, body })];
    const validate: Awaited<ReturnType<typeof cannon>>[] = [];
    for (let round = 0; round < HIT_ROUNDS; round++) {
      validate.push(await cannon(`${v.baseUrl}/v1/validate`, { method: 'POST', headers, body }));
      bare.push(await cannon(`http://127.0.0.1:${barePort}/`, { method: 'POST', headers, body }));
    }
    const ratios = validate.map((r, i) => r.rps / ((bare[i].rps + bare[i + 1].rps) / 2));
    const median = [...ratios].sort((x, y) => x - y)[Math.floor(ratios.length / 2)];
    const list = (runs: typeof bare, pick: (r: (typeof bare)[number]) => string | number) => runs.map(pick).join(', ');
    report(`POST /v1/validate, cache hit (autocannon, ${CONNECTIONS} connections, ${DURATION_S} s a run, ${HIT_ROUNDS} rounds, same run)`, {
      'bare node:http req/s': list(bare, (r) => Math.round(r.rps)),
      'bare node:http p50 / p99 ms': list(bare, (r) => `${r.p50} / ${r.p99}`),
      'validate req/s': list(validate, (r) => Math.round(r.rps)),
      'validate p50 / p99 ms': list(validate, (r) => `${r.p50} / ${r.p99}`),
      'validate non-2xx, errors': `${validate.reduce((n, r) => n + r.non2xx, 0)}, ${validate.reduce((n, r) => n + r.errors, 0)}`,
      'ratio (validate / bare) per round': ratios.map((r) => r.toFixed(2)).join(', '),
      'ratio, median round': median,
    });
    for (const r of validate) expect(r.non2xx).toBe(0);
  }

  async function cacheMisses(v1: ServiceProcess, v2: ServiceProcess, admin: string, hitSecret: string) {
    // misses: tokens known to token-service, cached nowhere yet (v1 asks token-service), then Redis-only (v2); each
    // token misses once, so 10 concurrent callers and one caller get tokens of their own
    const issued: string[] = [];
    await timedEach(8, Array.from({ length: 2 * MISSES }, (_, i) => `bench-miss-${i}`), async (name) => {
      const r = await api<IssueTokenResponse>(system.token, 'POST', '/v1/tokens', admin, { name, scopes: ['read'], expiresInDays: 1 });
      issued.push(r.body.secret);
    });
    const [concurrent, sequential] = [issued.slice(0, MISSES), issued.slice(MISSES)];
    const unknownTokens = () => Array.from({ length: MISSES }, () => generateToken(randomBytes));
    // 10 connections: autocannon (as for the cache hit), each request with the next token; one caller: node:http
    const tenConnections = async (v: ServiceProcess, tokens: string[], expected: string) => {
      let next = 0;
      const codes = new Map<string, number>();
      const result = await autocannon({
        url: `${v.baseUrl}/v1/validate`,
        connections: 10,
        amount: tokens.length,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: clientAuthorization() },
        requests: [
          {
            setupRequest: (req) => ({ ...req, body: JSON.stringify({ token: tokens[next++ % tokens.length], method: 'GET', path: '/rest/api/2/myself', ip: '10.1.2.3' }) }),
            onResponse: (_status, body) => {
              const code = (JSON.parse(body) as { code: string }).code;
              codes.set(code, (codes.get(code) ?? 0) + 1);
            },
          },
        ],
      });
      if (codes.get(expected) !== tokens.length) throw new Error(`expected ${tokens.length} ${expected}, got ${JSON.stringify([...codes])}`);
      return `${result.latency.p50} / ${result.latency.p99}`;
    };
    const ten = {
      hit: await tenConnections(v1, Array.from({ length: MISSES }, () => hitSecret), 'VALID'),
      fromSource: await tenConnections(v1, concurrent, 'VALID'),
      fromRedis: await tenConnections(v2, concurrent, 'VALID'),
      unknown: await tenConnections(v1, unknownTokens(), 'NOT_FOUND'),
    };
    const one = {
      hit: await timedEach(1, Array.from({ length: MISSES }, () => hitSecret), (t) => check(v1, t)),
      fromSource: await timedEach(1, sequential, (t) => check(v1, t)),
      fromRedis: await timedEach(1, sequential, (t) => check(v2, t)),
      unknown: await timedEach(1, unknownTokens(), async (t) => void (await postTimed(v1, t))),
    };
    const row = (ms: number[]) => `${percentile(ms, 50).toFixed(2)} / ${percentile(ms, 99).toFixed(2)}`;
    report(`cache misses (${MISSES} tokens each), p50 / p99 ms: 10 connections (autocannon) | one caller (node:http)`, {
      'cache hit, same clients': `${ten.hit} | ${row(one.hit)}`,
      'miss -> Redis read model': `${ten.fromRedis} | ${row(one.fromRedis)}`,
      'miss -> token-service': `${ten.fromSource} | ${row(one.fromSource)}`,
      'unknown token (NOT_FOUND)': `${ten.unknown} | ${row(one.unknown)}`,
    });
  }

  async function memoryWithCachedTokens(v: ServiceProcess) {
    // CACHED tokens: seeded into the Redis read model, pulled into the replica's memory by validating each once
    const redis = new Redis(system.env.REDIS_URL);
    const prefix = `lk:vs:{${system.namespace}}:`;
    const secrets: string[] = [];
    for (let offset = 0; offset < CACHED; offset += 5_000) {
      const pipeline = redis.pipeline();
      for (let i = offset; i < Math.min(CACHED, offset + 5_000); i++) {
        const secret = generateToken(randomBytes);
        const view: TokenView = {
          id: randomUUID(), ownerId: `user-${i % 5000}`, createdBy: 'bench', name: `cached ${i}`, hint: `lk_…${secret.slice(-4)}`, scopes: ['read'],
          allowedCidrs: i % 10 === 0 ? ['10.0.0.0/8'] : [], status: 'active', createdAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
          revokedAt: null, revokedReason: null, secretGeneration: 1, previousSecretValidUntil: null, version: 1,
        };
        pipeline.set(`${prefix}hash:${hashToken(system.env.LATCHKEY_PEPPER, secret)}`, `${view.id} 1`);
        pipeline.hset(`${prefix}tok:${view.id}`, 'v', '1', 's', JSON.stringify(view));
        secrets.push(secret);
      }
      await pipeline.exec();
    }
    const before = await memoryOf(v);
    const fill = await timedEach(32, secrets, (t) => check(v, t));
    const filled = await memoryOf(v);
    // every token once more: all answered from memory now
    const again = await timedEach(32, secrets, (t) => check(v, t));
    const after = await memoryOf(v);
    // cleanup of the seeded keys (shared Redis)
    for (let i = 0; i < secrets.length; i += 5_000) {
      const keys = secrets.slice(i, i + 5_000).map((s) => `${prefix}hash:${hashToken(system.env.LATCHKEY_PEPPER, s)}`);
      await redis.del(...keys);
    }
    const tokKeys = await redis.keys(`${prefix}tok:*`);
    for (let i = 0; i < tokKeys.length; i += 5_000) await redis.del(...tokKeys.slice(i, i + 5_000));
    redis.disconnect();
    report(`memory of a replica holding ${CACHED} cached tokens`, {
      'before filling: RSS / heap used / heap total / external MB': before.text,
      'after validating each once (from Redis)': filled.text,
      'after validating each again (from memory)': after.text,
      'fill p99 ms (32 concurrent)': percentile(fill, 99),
      'second pass p99 ms (32 concurrent)': percentile(again, 99),
      'lookups counted': `${filled.lookups.redis ?? 'n/a'} from Redis, ${after.lookups.memory ?? 'n/a'} from memory`,
    });
  }

  /** RSS from /proc, V8 heap and lookup counters from the replica's /metrics */
  async function memoryOf(v: ServiceProcess) {
    const metrics = await (await v.fetch('/metrics')).text();
    const gauge = (name: string) => Number(metrics.split('\n').find((l) => l.startsWith(`${name} `))?.split(' ')[1] ?? NaN) / 1048576;
    const lookups: Record<string, number> = {};
    for (const m of metrics.matchAll(/^latchkey_validation_lookups_total\{layer="(\w+)"\} (\d+)/gm)) lookups[m[1]] = Number(m[2]);
    const rss = rssMb(v.pid!);
    return { rss, lookups, text: `${rss.toFixed(0)} / ${gauge('nodejs_heap_size_used_bytes').toFixed(0)} / ${gauge('nodejs_heap_size_total_bytes').toFixed(0)} / ${gauge('nodejs_external_memory_bytes').toFixed(0)}` };
  }

  it('validates a cached token at a large fraction of bare node:http speed, misses, and memory', async () => {
    const [v1, v2] = system.validators;
    const admin = system.bootstrapToken();
    const hit = (await api<IssueTokenResponse>(system.token, 'POST', '/v1/tokens', admin, { name: 'bench-hit', scopes: ['read'], expiresInDays: 1 })).body;
    await waitFor(async () => ((await (await post(v1, hit.secret)).json()) as { code: string }).code === 'VALID', { what: 'warm cache' });
    if (PARTS.has('hit')) await cacheHit(v1, hit.secret);
    if (PARTS.has('miss')) await cacheMisses(v1, v2, admin, hit.secret);
    if (PARTS.has('memory')) await memoryWithCachedTokens(v2);
  });
});
