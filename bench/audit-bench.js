#!/usr/bin/env node
// npm run bench:audit — ingest rate and produce→commit lag of audit-service at a target event rate.
// Starts a real audit-service (built: npx nx run audit-service:build) on a fresh database and topic namespace,
// produces token events and usage summaries at RATE events/s for SECONDS, and watches rows appear in audit.entries.
// Lag = time a row is first seen committed (polled every 20 ms) - time its event was produced.
// Env: BENCH_RATE (5000), BENCH_SECONDS (20), KAFKA_BROKERS, TEST_ADMIN_DATABASE_URL,
// BENCH_CPU_PROF=<dir> (audit-service writes a V8 CPU profile there on exit; open it in Chrome DevTools).
'use strict';
const { spawn } = require('node:child_process');
const { randomUUID, randomBytes, generateKeyPairSync } = require('node:crypto');
const os = require('node:os');
const path = require('node:path');
const { rmSync, readFileSync } = require('node:fs');
const { Kafka, logLevel } = require('kafkajs');
const { Client } = require('pg');

const ROOT = path.resolve(__dirname, '..');
const RATE = Number(process.env.BENCH_RATE ?? 5000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const ADMIN_DB = process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PORT = 4380 + (process.pid % 19);
const TOKEN_PORT = PORT + 20;
const suffix = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
const NS = `bench_audit_${suffix}`;
const DB = `lk_bench_audit_${suffix}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function adminQuery(sql) {
  const c = new Client({ connectionString: ADMIN_DB });
  await c.connect();
  try { await c.query(sql); } finally { await c.end(); }
}

async function waitReady(port, proc, what) {
  for (let i = 0; ; i++) {
    const res = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => null);
    if (res?.status === 200) return;
    if (proc.exitCode !== null || i > 600) throw new Error(`${what} did not become ready`);
    await sleep(100);
  }
}

async function main() {
  await adminQuery(`CREATE DATABASE "${DB}"`);
  const url = new URL(ADMIN_DB);
  url.pathname = `/${DB}`;
  // shared by audit-service and the token-service started at the end (the audit API takes the bootstrap admin token)
  const common = {
    ...process.env, DATABASE_URL: url.toString(), KAFKA_BROKERS: BROKERS.join(','), LATCHKEY_TOPIC_NAMESPACE: NS,
    LATCHKEY_PEPPER: `bench-pepper-${suffix}`, LATCHKEY_INTERNAL_SECRET: `bench-internal-${suffix}`, LOG_LEVEL: 'warn', KAFKAJS_NO_PARTITIONER_WARNING: '1',
  };
  const tokenFile = path.join(os.tmpdir(), `latchkey-bench-audit-${suffix}.token`);
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`] : [];
  const child = spawn(process.execPath, [...profile, path.join(ROOT, 'tools/run-service.js'), 'audit-service'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...common, PORT: String(PORT), TOKEN_SERVICE_URL: `http://127.0.0.1:${TOKEN_PORT}`,
      LATCHKEY_AUDIT_SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    },
  });
  let tokenService = null;
  const kafka = new Kafka({ clientId: 'audit-bench', brokers: BROKERS, logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  const db = new Client({ connectionString: url.toString() });
  try {
    await waitReady(PORT, child, 'audit-service');
    await producer.connect();
    await db.connect();
    const topics = { token: `${NS}.latchkey.token.v1`, usage: `${NS}.latchkey.usage.v1` };
    const total = RATE * SECONDS;
    const producedAt = new Map();
    const lags = [];
    let lastSeq = 0;
    let seen = 0;
    let done = false;
    const poller = (async () => {
      while (!done) {
        const { rows } = await db.query('SELECT seq, event_id FROM audit.entries WHERE seq > $1 ORDER BY seq LIMIT 20000', [lastSeq]);
        const now = Date.now();
        for (const r of rows) {
          const t = producedAt.get(r.event_id);
          if (t !== undefined) lags.push(now - t);
          lastSeq = Number(r.seq);
        }
        seen += rows.length;
        if (rows.length === 0) await sleep(20);
      }
    })();

    console.log(`producing ${total} events at ${RATE}/s for ${SECONDS}s (namespace ${NS})`);
    const tickMs = 50;
    const perTick = Math.round((RATE * tickMs) / 1000);
    const start = Date.now();
    let sent = 0;
    while (sent < total) {
      const n = Math.min(perTick, total - sent);
      const msgs = { token: [], usage: [] };
      const now = new Date();
      for (let i = 0; i < n; i++) {
        const id = randomUUID();
        const k = `t${(sent + i) % 500}`;
        if ((sent + i) % 2 === 0) {
          msgs.token.push({ key: k, value: JSON.stringify({ eventId: id, type: 'TokenRenamed', aggregateType: 'token', aggregateId: k, version: sent + i + 1, occurredAt: now.toISOString(), actor: { userId: 'alice', via: 'oidc' }, data: { name: 'n', previousName: 'p' }, state: { id: k, ownerId: 'alice', scopes: ['read'], status: 'active' } }) });
        } else {
          msgs.usage.push({ key: k, value: JSON.stringify({ type: 'TokenUsage', usageId: id, tokenId: k, userId: 'alice', replicaId: 'v1', count: 3, firstUsedAt: now.toISOString(), lastUsedAt: now.toISOString(), lastIp: '10.1.2.3', lastUserAgent: 'bench' }) });
        }
        producedAt.set(id, Date.now());
      }
      await producer.sendBatch({ acks: -1, topicMessages: [{ topic: topics.token, messages: msgs.token }, { topic: topics.usage, messages: msgs.usage }] });
      sent += n;
      const ahead = start + (sent / RATE) * 1000 - Date.now();
      if (ahead > 0) await sleep(ahead);
    }
    const producedSecs = (Date.now() - start) / 1000;
    const deadline = Date.now() + 120_000;
    while (seen < total && Date.now() < deadline) await sleep(50);
    const elapsed = (Date.now() - start) / 1000;
    done = true;
    await poller;
    lags.sort((a, b) => a - b);
    // where the time went: appends (one transaction each, serialised on the chain head) from the service's metrics
    const metrics = await (await fetch(`http://127.0.0.1:${PORT}/metrics`)).text();
    const sample = (name) => Number(/^(\S+) (\S+)$/m.exec(metrics.split('\n').filter((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`)).join('\n'))?.[2] ?? NaN);
    const appends = sample('latchkey_audit_append_seconds_count');
    const appendSeconds = sample('latchkey_audit_append_seconds_sum');
    // measured; now token-service, only to hand out the admin token the verify endpoint requires
    tokenService = spawn(process.execPath, [path.join(ROOT, 'tools/run-service.js'), 'token-service'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...common, PORT: String(TOKEN_PORT), LATCHKEY_BOOTSTRAP_TOKEN_FILE: tokenFile },
    });
    await waitReady(TOKEN_PORT, tokenService, 'token-service');
    const admin = readFileSync(tokenFile, 'utf8').trim();
    const verify = await (await fetch(`http://127.0.0.1:${PORT}/v1/audit/verify`, { headers: { authorization: `Bearer ${admin}` } })).json();
    console.log(JSON.stringify({
      targetRate: RATE,
      produced: total,
      producedRate: Math.round(total / producedSecs),
      stored: seen,
      ingestRate: Math.round(seen / elapsed),
      lagMs: { p50: pct(lags, 50), p90: pct(lags, 90), p99: pct(lags, 99), max: lags[lags.length - 1] },
      appends: { transactions: appends, meanRows: Math.round(seen / appends), meanMs: Math.round((appendSeconds / appends) * 1000), busyShare: Number((appendSeconds / elapsed).toFixed(2)) },
      loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
      chainVerified: verify.ok,
      chainChecked: verify.checked,
    }, null, 2));
    if (seen < total) process.exitCode = 1;
  } finally {
    await producer.disconnect().catch(() => undefined);
    await db.end().catch(() => undefined);
    for (const proc of [child, tokenService].filter(Boolean)) {
      proc.kill('SIGTERM');
      await new Promise((r) => (proc.exitCode !== null ? r() : proc.once('exit', r)));
    }
    rmSync(tokenFile, { force: true });
    const admin = kafka.admin();
    await admin.connect().then(async () => {
      const ts = (await admin.listTopics()).filter((t) => t.startsWith(`${NS}.`));
      await admin.deleteTopics({ topics: ts }).catch(() => undefined);
    }).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    await adminQuery(`DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`).catch(() => undefined);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
