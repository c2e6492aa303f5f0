import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { Webhook } from 'standardwebhooks';
import { v7 as uuidv7 } from 'uuid';
import { EventHeaders, TokenEvent, Topics, topicName } from '@latchkey/contracts';
import { api, infraDefaults, startSystem, System, SYSTEM_SCIM_TOKEN, waitFor } from '@latchkey/testing';

/** One e-mail as the test's SMTP server accepted it. */
interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

/** One webhook request as the test's receiver got it, already verified with the Standard Webhooks library. */
interface ReceivedHook {
  path: string;
  id: string;
  at: number;
  body: Record<string, unknown>;
  verified: boolean;
}

/** A real SMTP server (smtp-server): parses each message (mailparser); `beforeAccept` may refuse or act first. */
class SmtpSink {
  readonly mails: ReceivedMail[] = [];
  beforeAccept: ((mail: ReceivedMail) => Error | null) | null = null;
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData: (stream, _session, callback) => {
      simpleParser(stream).then(
        (parsed) => {
          const to = Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(',') : parsed.to?.text ?? '';
          const mail = { to, subject: parsed.subject ?? '', text: parsed.text ?? '', html: typeof parsed.html === 'string' ? parsed.html : '', messageId: parsed.messageId ?? '' };
          const refusal = this.beforeAccept?.(mail) ?? null;
          if (refusal) return callback(refusal);
          this.mails.push(mail);
          callback();
        },
        (err: Error) => callback(err),
      );
    },
  });
  port = 0;

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.server.address() as AddressInfo).port;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  to(address: string): ReceivedMail[] {
    return this.mails.filter((m) => m.to.includes(address));
  }
}

/** A real HTTP receiver that verifies every request with the `standardwebhooks` library. */
class WebhookReceiver {
  readonly hooks: ReceivedHook[] = [];
  readonly secrets = new Map<string, string>();
  /** status answered per path (default 204) */
  readonly statusByPath = new Map<string, number>();
  private readonly server: Server = createServer((req, res) => void this.handle(req).then((status) => res.writeHead(status).end()));
  port = 0;

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.address() as AddressInfo).port;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  private async handle(req: IncomingMessage): Promise<number> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = req.url ?? '/';
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    let verified = false;
    try {
      new Webhook(this.secrets.get(path) ?? 'whsec_AAAA').verify(raw, headers);
      verified = true;
    } catch {
      verified = false;
    }
    this.hooks.push({ path, id: headers['webhook-id'], at: Date.now(), body: JSON.parse(raw) as Record<string, unknown>, verified });
    return this.statusByPath.get(path) ?? 204;
  }
}

/**
 * notification-service in a real system (token-, policy-, audit-service on real Kafka and PostgreSQL), a real SMTP
 * server and a real webhook receiver: each notice arrives once, to the right person, with the right content and a
 * valid signature; a failing receiver gets growing retries then a dead letter that a replay delivers; a kill in the
 * middle of a batch loses nothing and sends nothing twice.
 */
describe('notifications by e-mail and signed webhooks', () => {
  const smtp = new SmtpSink();
  const receiver = new WebhookReceiver();
  let system: System;
  let admin: string;

  const notifications = () => system.notification!;
  const scim = (body: Record<string, unknown>) =>
    system.policy!.fetch('/scim/v2/Users', {
      method: 'POST',
      headers: { authorization: `Bearer ${SYSTEM_SCIM_TOKEN}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], active: true, ...body }),
    });
  const issue = async (bearer: string, body: Record<string, unknown>) => {
    const res = await api<{ token: { id: string; hint: string; name: string }; secret: string }>(system.token, 'POST', '/v1/tokens', bearer, body);
    expect(res.status).toBe(201);
    return res.body;
  };
  const mailsWith = (address: string, subject: RegExp) => smtp.to(address).filter((m) => subject.test(m.subject));
  /** for waitFor: the matching mails, or null while there are none */
  const arrived = (address: string, subject: RegExp) => {
    const found = mailsWith(address, subject);
    return found.length > 0 ? found : null;
  };

  beforeAll(async () => {
    await Promise.all([smtp.start(), receiver.start()]);
    system = await startSystem({
      policy: true,
      audit: true,
      notification: true,
      tokenEnv: { LATCHKEY_EXPIRY_INTERVAL_MS: '300' },
      notificationEnv: {
        LATCHKEY_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
        LATCHKEY_MAIL_FROM: 'Latchkey <latchkey@example.test>',
        LATCHKEY_NOTIFY_MAX_ATTEMPTS: '4',
        LATCHKEY_NOTIFY_RETRY_BASE_MS: '250',
        LATCHKEY_NOTIFY_POLL_MS: '50',
        LATCHKEY_NOTIFY_LEASE_MS: '1500',
        // one worker: every send is recorded before the next one starts (what the kill test relies on)
        LATCHKEY_NOTIFY_CONCURRENCY: '1',
        LATCHKEY_NOTIFY_SESSION_TIMEOUT_MS: '6000',
        LATCHKEY_OUTBOX_POLL_MS: '100',
        LATCHKEY_NOTIFY_ADMIN_EMAILS: 'soc@example.test',
      },
    });
    admin = system.bootstrapToken();
    expect((await scim({ userName: 'alice', displayName: 'Alice', emails: [{ value: 'alice@example.test', primary: true, type: 'work' }] })).status).toBe(201);
    expect((await scim({ userName: 'bob', emails: [{ value: 'bob@example.test', type: 'work' }] })).status).toBe(201);
  }, 240_000);

  afterAll(async () => {
    await system?.stop();
    await Promise.all([smtp.stop(), receiver.stop()]);
  }, 60_000);

  it('tells alice, once each, by e-mail and on her signed webhook: created on her behalf, revoked by an admin, leaked, reminder, expired', async () => {
    // an admin creates alice a token; she hears of it by e-mail (her address comes from the SCIM directory)
    const own = await waitFor(async () => {
      const res = await api<{ token: { id: string; name: string; hint: string }; secret: string }>(system.token, 'POST', '/v1/tokens', admin, {
        name: 'alice CI',
        scopes: ['write'],
        expiresInDays: 60,
        ownerId: 'alice',
      });
      return res.status === 201 ? res.body : null;
    }, { timeoutMs: 15_000, what: 'a token for alice' });
    const [created] = await waitFor(() => arrived('alice@example.test', /created the Latchkey token "alice CI"/), { timeoutMs: 15_000, what: 'created-on-behalf mail' });
    expect(created.text).toContain(own.token.hint);
    expect(created.html).toContain('alice CI');
    expect(created.text + created.html).not.toContain(own.secret);

    // with that token alice registers her own webhook; the signing secret is shown once
    const hook = await api<{ endpoint: { id: string }; secret: string }>(notifications(), 'POST', '/v1/notifications/webhooks', own.secret, { url: receiver.url('/alice') });
    expect(hook.status).toBe(201);
    expect(hook.body.secret).toMatch(/^whsec_/);
    receiver.secrets.set('/alice', hook.body.secret);

    // an admin revokes another of her tokens: who and why, by e-mail and webhook
    const victim = await issue(admin, { name: 'nightly export', scopes: ['read'], expiresInDays: 60, ownerId: 'alice' });
    const revoke = await api(system.token, 'DELETE', `/v1/tokens/${victim.token.id}`, admin);
    expect(revoke.status).toBeLessThan(300);
    const [revokedMail] = await waitFor(() => arrived('alice@example.test', /"nightly export".*revoked/), { timeoutMs: 15_000, what: 'revoked mail' });
    expect(revokedMail.text).toMatch(/an administrator revoked it/);
    expect(revokedMail.text).toContain(victim.token.hint);
    const revokedHook = await waitFor(() => receiver.hooks.find((h) => h.path === '/alice' && h.body.type === 'token.revoked' && (h.body.data as { token?: { id: string } })?.token?.id === victim.token.id), { timeoutMs: 15_000, what: 'revoked webhook' });
    expect(revokedHook.verified).toBe(true);
    expect(revokedHook.body).toMatchObject({ type: 'token.revoked', data: { notice: 'revoked', cause: 'admin', token: { name: 'nightly export', hint: victim.token.hint } } });
    expect(JSON.stringify(revokedHook.body)).not.toContain(victim.secret);

    // someone reports a token as leaked: revoked at once, alice is told why
    const leaked = await issue(admin, { name: 'pasted in a gist', scopes: ['read'], expiresInDays: 60, ownerId: 'alice' });
    const report = await system.token.fetch('/v1/tokens/leaked', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tokens: [leaked.secret] }) });
    expect(report.status).toBeLessThan(300);
    const [leakMail] = await waitFor(() => arrived('alice@example.test', /"pasted in a gist".*revoked/), { timeoutMs: 15_000, what: 'leaked mail' });
    expect(leakMail.text).toMatch(/reported as leaked/);

    // a token expiring within a day gets the 1-day reminder, once, however many passes run
    const soon = await issue(admin, { name: 'expires tomorrow', scopes: ['read'], expiresInDays: 1, ownerId: 'alice' });
    await waitFor(async () => (await api<{ items: unknown[] }>(notifications(), 'GET', `/v1/admin/notifications/deliveries?tokenId=${soon.token.id}`, admin)).status === 200, { what: 'log' });
    const pass = await waitFor(async () => {
      const res = await api<{ reminders: number }>(notifications(), 'POST', '/v1/admin/notifications/reminders/run', admin);
      return res.body.reminders >= 1 ? res.body : null;
    }, { timeoutMs: 15_000, what: 'a reminder pass that finds the token' });
    expect(pass.reminders).toBe(1);
    expect((await api<{ reminders: number }>(notifications(), 'POST', '/v1/admin/notifications/reminders/run', admin)).body.reminders).toBe(0);
    await waitFor(() => mailsWith('alice@example.test', /"expires tomorrow".*expires in 1 day/).length > 0, { timeoutMs: 15_000, what: 'reminder mail' });

    // a token that really expires: the expired notice
    const shortLived = await issue(admin, { name: 'two seconds', scopes: ['read'], expiresAt: new Date(Date.now() + 2_000).toISOString(), ownerId: 'alice' });
    await waitFor(() => mailsWith('alice@example.test', /"two seconds".*has expired/).length > 0, { timeoutMs: 20_000, what: 'expired mail' });
    const expiredHook = await waitFor(() => receiver.hooks.find((h) => h.body.type === 'token.expired' && (h.body.data as { token: { id: string } }).token.id === shortLived.token.id), { timeoutMs: 15_000, what: 'expired webhook' });
    expect(expiredHook.verified).toBe(true);

    // alice revoking her own token is not news to her
    await api(system.token, 'DELETE', `/v1/tokens/${soon.token.id}`, own.secret);

    // once each: settle, then count (the created-on-behalf mail of the tokens above included)
    await waitFor(async () => (await api<{ items: unknown[] }>(notifications(), 'GET', '/v1/admin/notifications/deliveries?status=pending', admin)).body.items.length === 0, { what: 'queue drained' });
    const subjects = smtp.to('alice@example.test').map((m) => m.subject);
    expect(new Set(subjects).size).toBe(subjects.length);
    expect(subjects.filter((s) => /"expires tomorrow"/.test(s) && /revoked/.test(s))).toHaveLength(0);
    expect(smtp.to('bob@example.test')).toHaveLength(0);
    const ids = receiver.hooks.filter((h) => h.path === '/alice').map((h) => h.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(receiver.hooks.every((h) => h.verified)).toBe(true);

    // every send is audited: NotificationSent lands in the audit chain
    const audited = await waitFor(async () => {
      const res = await api<{ items: Array<{ action: string; userId: string | null; tokenId: string | null }> }>(system.audit!, 'GET', '/v1/audit?action=NotificationSent&limit=500', admin);
      return res.body.items.some((e) => e.tokenId === victim.token.id && e.userId !== null) ? res.body.items : null;
    }, { timeoutMs: 20_000, what: 'NotificationSent in the audit log' });
    expect(audited.length).toBeGreaterThanOrEqual(5);
  }, 120_000);

  it('honours preferences unless an admin made the notice mandatory', async () => {
    const bobToken = await issue(admin, { name: 'bob tool', scopes: ['write'], expiresInDays: 60, ownerId: 'bob' });
    await waitFor(() => mailsWith('bob@example.test', /"bob tool"/).length > 0, { timeoutMs: 15_000, what: 'bob created mail' });
    const put = await api(notifications(), 'PUT', '/v1/notifications/preferences', bobToken.secret, { preferences: [{ kind: 'revoked', channel: 'email', enabled: false }] });
    expect(put.status).toBe(200);
    expect((await api(notifications(), 'PUT', '/v1/notifications/preferences', bobToken.secret, { preferences: [{ kind: 'nope', channel: 'email', enabled: false }] })).status).toBe(400);
    expect((await api(notifications(), 'PUT', '/v1/admin/notifications/policy', bobToken.secret, { mandatory: [] })).status).toBe(403);

    const quiet = await issue(admin, { name: 'quiet one', scopes: ['read'], expiresInDays: 60, ownerId: 'bob' });
    await api(system.token, 'DELETE', `/v1/tokens/${quiet.token.id}`, admin);
    // the revocation is decided (view and notices commit together) before the policy changes
    const db = new Client({ connectionString: system.databaseUrl });
    await db.connect();
    try {
      await waitFor(async () => (await db.query(`SELECT 1 FROM notification.tokens WHERE id = $1 AND status = 'revoked'`, [quiet.token.id])).rowCount === 1, { timeoutMs: 15_000, what: 'quiet revocation applied' });
    } finally {
      await db.end();
    }
    expect((await api(notifications(), 'PUT', '/v1/admin/notifications/policy', admin, { mandatory: [{ kind: 'revoked', channel: 'email' }] })).status).toBe(200);
    const loud = await issue(admin, { name: 'loud one', scopes: ['read'], expiresInDays: 60, ownerId: 'bob' });
    await api(system.token, 'DELETE', `/v1/tokens/${loud.token.id}`, admin);
    await waitFor(() => mailsWith('bob@example.test', /"loud one".*revoked/).length > 0, { timeoutMs: 15_000, what: 'mandatory revoked mail' });
    expect(mailsWith('bob@example.test', /"quiet one".*revoked/)).toHaveLength(0);
  }, 60_000);

  it('raises the alarm when a rotated-away secret is used again, and sends the admins their digest', async () => {
    const rotating = await issue(admin, { name: 'rotating deploy key', scopes: ['read'], expiresInDays: 60, ownerId: 'bob' });
    const rotated = await api<{ secret: string }>(system.token, 'POST', `/v1/tokens/${rotating.token.id}/rotate`, admin, { graceSeconds: 0 });
    expect(rotated.status).toBe(200);
    // the old secret, presented after its grace: the token-service revokes the token (reuse detection)
    await waitFor(async () => (await system.token.fetch('/v1/tokens', { headers: { authorization: `Bearer ${rotating.secret}` } })).status === 401, { what: 'old secret refused' });
    const [alarm] = await waitFor(() => arrived('bob@example.test', /Security alert: an old secret of your Latchkey token "rotating deploy key"/), { timeoutMs: 15_000, what: 'reuse-detected mail' });
    expect(alarm.text).toContain('revoked the token at once');
    expect(alarm.text + alarm.html).not.toContain(rotating.secret);
    expect(alarm.text + alarm.html).not.toContain(rotated.body.secret);

    const digest = await api<{ queued: number }>(notifications(), 'POST', '/v1/admin/notifications/digest', admin);
    expect(digest.status).toBe(200);
    expect(digest.body.queued).toBeGreaterThanOrEqual(1);
    const [mail] = await waitFor(() => arrived('soc@example.test', /Latchkey daily digest/), { timeoutMs: 15_000, what: 'digest mail' });
    expect(mail.text).toMatch(/Tokens expiring within 7 days: \d+/);
    expect(mail.text).toMatch(/Denied requests in the last 24 hours: \d+/);
    expect((await api(notifications(), 'POST', '/v1/admin/notifications/digest', rotated.body.secret)).status).toBe(401);
  }, 60_000);

  it('retries a receiver answering 500 with growing delays, dead-letters it, and delivers it on replay', async () => {
    const hook = await api<{ endpoint: { id: string }; secret: string }>(notifications(), 'POST', '/v1/notifications/webhooks', admin, {
      url: receiver.url('/soc'),
      allUsers: true,
      kinds: ['revoked'],
    });
    expect(hook.status).toBe(201);
    receiver.secrets.set('/soc', hook.body.secret);
    receiver.statusByPath.set('/soc', 500);
    const t = await issue(admin, { name: 'for the SOC', scopes: ['read'], expiresInDays: 60, ownerId: 'bob' });
    await api(system.token, 'DELETE', `/v1/tokens/${t.token.id}`, admin);

    const dead = await waitFor(async () => {
      const res = await api<{ items: Array<{ id: string; recipient: string; attempts: number }> }>(notifications(), 'GET', '/v1/admin/notifications/deliveries?status=dead&channel=webhook', admin);
      return res.body.items.find((d) => d.recipient === hook.body.endpoint.id) ?? null;
    }, { timeoutMs: 20_000, what: 'a dead letter' });
    expect(dead.attempts).toBe(4);
    const tries = receiver.hooks.filter((h) => h.path === '/soc' && h.id === dead.id);
    expect(tries).toHaveLength(4);
    expect(tries.every((h) => h.verified)).toBe(true);
    const gaps = tries.slice(1).map((h, i) => h.at - tries[i].at);
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeGreaterThan(gaps[i - 1]);
    expect(gaps[0]).toBeGreaterThanOrEqual(150);

    const detail = await api<{ attemptLog: Array<{ ok: boolean; detail: string }> }>(notifications(), 'GET', `/v1/admin/notifications/deliveries/${dead.id}`, admin);
    expect(detail.body.attemptLog.map((a) => a.detail)).toEqual(['HTTP 500', 'HTTP 500', 'HTTP 500', 'HTTP 500']);

    receiver.statusByPath.set('/soc', 200);
    expect((await api(notifications(), 'POST', `/v1/admin/notifications/deliveries/${dead.id}/replay`, admin)).status).toBe(202);
    await waitFor(async () => (await api<{ status: string }>(notifications(), 'GET', `/v1/admin/notifications/deliveries/${dead.id}`, admin)).body.status === 'sent', { timeoutMs: 10_000, what: 'replayed and sent' });
    expect(receiver.hooks.filter((h) => h.path === '/soc' && h.id === dead.id)).toHaveLength(5);
    expect((await api(notifications(), 'POST', `/v1/admin/notifications/deliveries/${dead.id}/replay`, admin)).status).toBe(409);
    expect((await api(notifications(), 'POST', '/v1/admin/notifications/deliveries/not-a-uuid/replay', admin)).status).toBe(400);
    expect((await api(notifications(), 'GET', '/v1/admin/notifications/deliveries', 'not-a-token')).status).toBe(401);
    // the SOC endpoint is done: later tests don't need its traffic
    expect((await api(notifications(), 'DELETE', `/v1/notifications/webhooks/${hook.body.endpoint.id}`, admin)).status).toBe(204);
  }, 60_000);

  it('killed mid-batch and restarted, it loses no notice and sends none twice', async () => {
    const count = 30;
    const kafka = new Kafka({ clientId: 'notifications-e2e', brokers: infraDefaults.kafkaBrokers, logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    const now = new Date().toISOString();
    const events: TokenEvent[] = Array.from({ length: count }, (_, i) => {
      const id = uuidv7();
      return {
        eventId: uuidv7(),
        type: 'TokenRevoked',
        aggregateType: 'token',
        aggregateId: id,
        version: 2,
        occurredAt: now,
        actor: { userId: 'helpdesk', via: 'oidc' },
        data: { reason: `batch revocation ${i}`, cause: 'bulk' },
        state: {
          id, ownerId: 'alice', createdBy: 'alice', name: `batch token ${i}`, hint: `lk_...${String(i).padStart(4, '0')}`, scopes: ['read'], allowedCidrs: [],
          status: 'revoked', createdAt: now, expiresAt: null, revokedAt: now, revokedReason: `batch revocation ${i}`, secretGeneration: 1, previousSecretValidUntil: null, version: 2,
        },
      };
    });
    // the 10th message makes the SMTP server kill the service before it answers: that one is not accepted
    let killed = false;
    smtp.beforeAccept = (mail) => {
      if (!killed && /batch token/.test(mail.subject) && smtp.mails.filter((m) => /batch token/.test(m.subject)).length === 9) {
        killed = true;
        notifications().signal('SIGKILL');
        return new Error('451 try again later');
      }
      return null;
    };
    await producer.send({
      topic: topicName(Topics.token, system.namespace),
      messages: events.map((e) => ({ key: e.aggregateId, value: JSON.stringify(e), headers: { [EventHeaders.eventId]: e.eventId, [EventHeaders.type]: e.type, [EventHeaders.aggregateType]: 'token' } })),
    });
    await producer.disconnect();
    await waitFor(() => killed, { timeoutMs: 30_000, what: 'the kill' });
    await notifications().waitForExit(10_000).catch(() => undefined);
    const before = smtp.mails.filter((m) => /batch token/.test(m.subject)).length;
    expect(before).toBe(9);

    await notifications().start({ timeoutMs: 60_000 });
    const batch = await waitFor(() => {
      const got = smtp.mails.filter((m) => /batch token/.test(m.subject));
      return got.length >= count ? got : null;
    }, { timeoutMs: 40_000, what: `all ${count} batch mails` });
    // nothing twice: a moment for any straggler, then exactly one mail per token, each to alice
    await waitFor(async () => (await api<{ items: unknown[] }>(notifications(), 'GET', '/v1/admin/notifications/deliveries?status=pending', admin)).body.items.length === 0, { what: 'queue drained' });
    const final = smtp.mails.filter((m) => /batch token/.test(m.subject));
    expect(final).toHaveLength(count);
    expect(new Set(batch.map((m) => m.subject)).size).toBe(count);
    expect(new Set(final.map((m) => m.messageId)).size).toBe(count);
    expect(final.every((m) => m.to.includes('alice@example.test') && /helpdesk/.test(m.text))).toBe(true);
    smtp.beforeAccept = null;
  }, 120_000);
});

