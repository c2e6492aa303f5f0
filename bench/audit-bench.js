#!/usr/bin/env node
// npm run bench:audit — ingest rate and produce→commit lag of audit-service at a target event rate.
// Starts a real audit-service (built: npx nx run audit-service:build) on a fresh database and topic namespace,
// produces token events and usage summaries at RATE events/s for SECONDS, and watches rows appear in audit.entries.
// Lag = time a row is first seen committed (polled every 20 ms) - time its event was produced.
// Env: BENCH_RATE (5000), BENCH_SECONDS (20), KAFKA_BROKERS, TEST_ADMIN_DATABASE_URL.
'use strict';
const { spawn } = require('node:child_process');
const { randomUUID, randomBytes, generateKeyPairSync } = require('node:crypto');
const path = require('node:path');
const { Kafka, logLevel } = require('kafkajs');
const { Client } = require('pg');

const ROOT = path.resolve(__dirname, '..');
const RATE = Number(process.env.BENCH_RATE ?? 5000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const ADMIN_DB = process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PORT = 4380 + (process.pid % 19);
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

async function main() {
  await adminQuery(`CREATE DATABASE "${DB}"`);
  const url = new URL(ADMIN_DB);
  url.pathname = `/${DB}`;
  const child = spawn(process.execPath, [path.join(ROOT, 'tools/run-service.js'), 'audit-service'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env, PORT: String(PORT), DATABASE_URL: url.toString(), KAFKA_BROKERS: BROKERS.join(','), LATCHKEY_TOPIC_NAMESPACE: NS,
      LATCHKEY_AUDIT_SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      LATCHKEY_AUDIT_ADMIN_SECRET: 'bench-admin-secret-0123456789', LOG_LEVEL: 'warn', KAFKAJS_NO_PARTITIONER_WARNING: '1',
    },
  });
  const kafka = new Kafka({ clientId: 'audit-bench', brokers: BROKERS, logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  const db = new Client({ connectionString: url.toString() });
  try {
    for (let i = 0; ; i++) {
      const res = await fetch(`http://127.0.0.1:${PORT}/health/ready`).catch(() => null);
      if (res?.status === 200) break;
      if (child.exitCode !== null || i > 600) throw new Error('audit-service did not become ready');
      await sleep(100);
    }
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
    const verify = await (await fetch(`http://127.0.0.1:${PORT}/v1/audit/verify`, { headers: { authorization: 'Bearer bench-admin-secret-0123456789' } })).json();
    console.log(JSON.stringify({
      targetRate: RATE,
      produced: total,
      producedRate: Math.round(total / producedSecs),
      stored: seen,
      ingestRate: Math.round(seen / elapsed),
      lagMs: { p50: pct(lags, 50), p90: pct(lags, 90), p99: pct(lags, 99), max: lags[lags.length - 1] },
      chainVerified: verify.ok,
      chainChecked: verify.checked,
    }, null, 2));
    if (seen < total) process.exitCode = 1;
  } finally {
    await producer.disconnect().catch(() => undefined);
    await db.end().catch(() => undefined);
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
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
