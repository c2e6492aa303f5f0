import { Client } from 'pg';
import { api, startSystem, System } from '@latchkey/testing';
import { report } from './report';

/**
 * `npm run bench:notifications`: one expiry-reminder pass of the real notification-service over 100,000 active
 * tokens expiring evenly across the next 30 days (plus revoked ones it must skip), owned by 1,000 directory users
 * with e-mail addresses. The pass reads the candidates, decides each token's reminder (14/7/1 days), and queues
 * one e-mail delivery per due reminder with the reminders marked, in one transaction per page. The process queues
 * only (LATCHKEY_NOTIFY_DISPATCH=false), so the figure is the pass, not the SMTP relay. Checked: exactly the due
 * reminders are queued (counted independently in SQL), and a second pass queues only what crossed a threshold since.
 * Baseline, same run: the bare SELECT of the due set (active, expiring within 14 days).
 */
const TOKENS = Number(process.env.BENCH_REMINDER_TOKENS ?? 100_000);
const USERS = 1_000;
// every 21st row is revoked: 100,000 active + 5,000 revoked, spread over the month
const REVOKED = Math.floor(TOKENS / 20);

describe('bench: notifications', () => {
  let system: System;
  let db: Client;

  beforeAll(async () => {
    system = await startSystem({ notification: true, notificationEnv: { LATCHKEY_NOTIFY_DISPATCH: 'false', LATCHKEY_NOTIFY_REMINDER_DAYS: '14,7,1' } });
    db = new Client({ connectionString: system.databaseUrl });
    await db.connect();
  }, 180_000);

  afterAll(async () => {
    await db?.end();
    await system?.stop();
  }, 60_000);

  it('sends exactly the due reminders over 100,000 tokens in one pass', async () => {
    const admin = system.bootstrapToken();
    await db.query(`INSERT INTO notification.users (id, user_name, display_name, email, active, version)
      SELECT 'user-' || n, 'user' || n, 'User ' || n, 'user' || n || '@example.test', true, 1 FROM generate_series(1, ${USERS}) n`);
    await db.query(`INSERT INTO notification.tokens (id, owner_id, name, hint, status, created_at, expires_at, version)
      SELECT gen_random_uuid(), 'user-' || (1 + n % ${USERS}), 'token ' || n, 'lk_...' || lpad((n % 10000)::text, 4, '0'),
             CASE WHEN n % 21 = 0 THEN 'revoked' ELSE 'active' END,
             now() - interval '60 days', now() + (n::float / ${TOKENS + REVOKED}) * interval '30 days', 1
        FROM generate_series(1, ${TOKENS + REVOKED}) n`);
    await db.query('ANALYZE notification.tokens');

    const baseline = async () => {
      const t = performance.now();
      const r = await db.query(`SELECT id, owner_id, name, hint, expires_at, reminded_days FROM notification.tokens
        WHERE status = 'active' AND expires_at > now() AND expires_at <= now() + interval '14 days' ORDER BY id`);
      return { ms: performance.now() - t, rows: r.rowCount ?? 0 };
    };
    const before = await baseline();

    const t0 = performance.now();
    const pass = await api<{ at: string; scanned: number; reminders: number; deliveries: number }>(system.notification!, 'POST', '/v1/admin/notifications/reminders/run', admin);
    const passMs = performance.now() - t0;
    expect(pass.status).toBe(200);

    const after = await baseline();
    const baselineMs = (before.ms + after.ms) / 2;
    const { rows: [{ due }] } = await db.query<{ due: string }>(
      `SELECT count(*) AS due FROM notification.tokens WHERE status = 'active' AND expires_at > $1 AND expires_at <= $1::timestamptz + interval '14 days'`,
      [pass.body.at],
    );
    const { rows: [{ queued, distinct }] } = await db.query<{ queued: string; distinct: string }>(
      `SELECT count(*) AS queued, count(DISTINCT token_id) AS distinct FROM notification.deliveries WHERE kind = 'expiry-reminder' AND channel = 'email'`,
    );
    const { rows: byDays } = await db.query<{ reminded_days: number; n: string }>(
      'SELECT reminded_days, count(*) AS n FROM notification.tokens WHERE reminded_days IS NOT NULL GROUP BY 1 ORDER BY 1 DESC',
    );
    const second = await api<{ at: string; reminders: number }>(system.notification!, 'POST', '/v1/admin/notifications/reminders/run', admin);
    // a second pass moments later owes exactly the tokens that crossed a threshold (or entered the window) since the first
    const { rows: [{ crossed }] } = await db.query<{ crossed: string }>(
      `SELECT count(*) AS crossed FROM notification.tokens t, (VALUES (14), (7), (1)) AS d(days)
        WHERE t.status = 'active' AND t.expires_at > $1::timestamptz + d.days * interval '1 day' AND t.expires_at <= $2::timestamptz + d.days * interval '1 day'`,
      [pass.body.at, second.body.at],
    );

    report('bench: notifications (one expiry-reminder pass)', {
      'tokens (active + revoked)': `${TOKENS} + ${REVOKED}`,
      'due reminders (SQL count)': Number(due),
      'reminders queued': pass.body.reminders,
      'e-mail deliveries queued': Number(queued),
      'by threshold (days: n)': byDays.map((r) => `${r.reminded_days}: ${r.n}`).join(', '),
      'pass (ms)': Math.round(passMs),
      'reminders per second': Math.round(pass.body.reminders / (passMs / 1000)),
      'baseline: bare SELECT of the due set (ms)': Math.round(baselineMs),
      'ratio pass / baseline': passMs / baselineMs,
      'second pass reminders (crossed a threshold since)': `${second.body.reminders} (${crossed})`,
    });
    expect(pass.body.reminders).toBe(Number(due));
    expect(Number(queued)).toBe(Number(due));
    expect(Number(distinct)).toBe(Number(due));
    expect(second.body.reminders).toBe(Number(crossed));
  }, 600_000);
});
