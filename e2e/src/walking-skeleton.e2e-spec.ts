import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { hashToken } from '@latchkey/token-format';
import { IssueTokenResponse, TokenView } from '@latchkey/contracts';
import { generateToken } from '@latchkey/token-format';
import { waitFor } from '@latchkey/testing';
import { api, startSystem, System, validate } from './system';

/** Sum of a Prometheus counter's samples whose labels contain `labelMatch`. */
async function counter(metricsText: Promise<string>, name: string, labelMatch: string): Promise<number> {
  let total = 0;
  for (const line of (await metricsText).split('\n')) {
    if (line.startsWith(`${name}{`) && line.includes(labelMatch)) total += Number(line.split(' ').pop());
  }
  return total;
}

describe('walking skeleton: issue, validate on every replica, revoke everywhere', () => {
  let system: System;
  const secretsSeen: string[] = [];

  beforeAll(async () => {
    system = await startSystem({ validators: 2, audit: true, policy: true });
  }, 180_000);

  afterAll(async () => {
    await system?.stop();
  }, 60_000);

  it('validates a new token on both replicas, then both answer REVOKED after one revoke', async () => {
    const admin = system.bootstrapToken();
    const issued = await api<IssueTokenResponse>(system.token, 'POST', '/v1/tokens', admin, { name: 'e2e', scopes: ['read'], expiresInDays: 1 });
    expect(issued.status).toBe(201);
    const { token, secret } = issued.body;
    secretsSeen.push(secret);
    expect(secret).toMatch(/^lk_[0-9A-Za-z]{46}$/);

    for (const v of system.validators) {
      await expect(validate(v, { token: secret })).resolves.toMatchObject({ valid: true, code: 'VALID', tokenId: token.id });
    }

    const started = performance.now();
    const revoked = await api<{ token: TokenView }>(system.token, 'DELETE', `/v1/tokens/${token.id}`, admin);
    expect(revoked.status).toBe(200);
    expect(revoked.body.token.status).toBe('revoked');
    const rejectedAfterMs = await Promise.all(
      system.validators.map(async (v) => {
        await waitFor(async () => (await validate(v, { token: secret })).code === 'REVOKED', { timeoutMs: 10_000, intervalMs: 2, what: 'REVOKED' });
        return performance.now() - started;
      }),
    );
    const propagation = Math.max(...rejectedAfterMs);
    console.log(`revocation propagation (revoke call to last of ${system.validators.length} replicas rejecting): ${propagation.toFixed(1)} ms`);
    for (const v of system.validators) {
      await expect(validate(v, { token: secret })).resolves.toMatchObject({ valid: false, code: 'REVOKED' });
    }
  });

  it('stores every token event in the audit service once', async () => {
    const admin = system.bootstrapToken();
    const { body } = await api<IssueTokenResponse>(system.token, 'POST', '/v1/tokens', admin, { name: 'audited', scopes: ['write'] });
    await api(system.token, 'DELETE', `/v1/tokens/${body.token.id}`, admin);
    const entries = await waitFor(
      async () => {
        // the audit API is admin-only (the bootstrap admin token) and lists newest first
        const res = await system.audit!.fetch(`/v1/audit?aggregateId=${body.token.id}`, { headers: { authorization: `Bearer ${admin}` } });
        const json = (await res.json()) as { items: Array<{ type: string; version: number }> };
        return json.items.length >= 2 ? json.items : null;
      },
      { timeoutMs: 15_000, what: 'audit entries' },
    );
    expect(entries.map((e) => [e.type, e.version])).toEqual([
      ['TokenRevoked', 2],
      ['TokenIssued', 1],
    ]);
  });

  it('answers MALFORMED for malformed tokens without touching Redis or the source of truth', async () => {
    const v = system.validators[0];
    const metrics = () => v.fetch('/metrics').then((r) => r.text());
    const lookupsBefore = {
      redis: await counter(metrics(), 'latchkey_validation_lookups_total', 'layer="redis"'),
      source: await counter(metrics(), 'latchkey_validation_lookups_total', 'layer="source"'),
    };
    const good = generateToken(randomBytes);
    const malformed = [
      `xx_${good.slice(3)}`, // wrong prefix
      `${good.slice(0, -1)}${good.endsWith('a') ? 'b' : 'a'}`, // bad checksum
      `${good}0`, // too long
      `${good.slice(0, 10)}é${good.slice(11)}`, // non-ASCII
      '', // empty
    ];
    for (const token of malformed) {
      // a present-but-empty token is malformed, not "no credentials"
      await expect(validate(v, { token })).resolves.toMatchObject({ valid: false, code: 'MALFORMED' });
      if (token) await expect(validate(v, { authorization: `Bearer ${token}` })).resolves.toMatchObject({ valid: false, code: 'MALFORMED' });
    }
    expect({
      redis: await counter(metrics(), 'latchkey_validation_lookups_total', 'layer="redis"'),
      source: await counter(metrics(), 'latchkey_validation_lookups_total', 'layer="source"'),
    }).toEqual(lookupsBefore);
  });

  it('serves health, metrics, OpenAPI and a policy document on every service', async () => {
    for (const svc of [system.token, ...system.validators, system.audit!, system.policy!]) {
      for (const p of ['/health/live', '/health/ready', '/metrics', '/docs-json']) {
        const res = await svc.fetch(p);
        expect({ svc: svc.baseUrl, p, status: res.status }).toEqual({ svc: svc.baseUrl, p, status: 200 });
      }
      expect((await svc.fetch('/no/such/route')).status).toBe(404);
    }
    const policy = await system.policy!.fetch('/v1/policy');
    expect(policy.status).toBe(200);
    expect(await policy.json()).toMatchObject({ version: 0 });
  });

  it('rejects bad input with 4xx problem details and no change', async () => {
    const admin = system.bootstrapToken();
    const before = await api<{ items: TokenView[] }>(system.token, 'GET', '/v1/tokens', admin);
    const bad: unknown[] = [
      { name: '', scopes: ['read'] },
      { name: 'x', scopes: ['root'] },
      { name: 'x', scopes: ['read'], allowedCidrs: ['10.0.0.0/33'] },
      { name: 'x', scopes: ['read'], expiresAt: '2001-01-01T00:00:00Z' },
      { name: 'x', scopes: ['read'], unknown: true },
      { name: 'x'.repeat(70_000), scopes: ['read'] },
    ];
    for (const body of bad) {
      const res = await api<{ status: number; detail: string }>(system.token, 'POST', '/v1/tokens', admin, body);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.body.detail).toEqual(expect.any(String));
    }
    const notJson = await system.token.fetch('/v1/tokens', { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: '{"name":' });
    expect(notJson.status).toBe(400);
    expect((await system.token.fetch('/v1/tokens', { method: 'POST' })).status).toBe(401);
    const after = await api<{ items: TokenView[] }>(system.token, 'GET', '/v1/tokens', admin);
    expect(after.body.items.length).toBe(before.body.items.length);
  });

  it('wrote the bootstrap admin token to a 0600 file, and logged where but not what', () => {
    expect(statSync(system.env.LATCHKEY_BOOTSTRAP_TOKEN_FILE).mode & 0o777).toBe(0o600);
    const log = readFileSync(system.token.logFile, 'utf8');
    expect(log).toContain(`written to ${system.env.LATCHKEY_BOOTSTRAP_TOKEN_FILE}`);
    expect(log).not.toContain(system.bootstrapToken());
  });

  it('never writes a token secret or its HMAC to any log', async () => {
    const secrets = [system.bootstrapToken(), ...secretsSeen];
    const needles = [...secrets, ...secrets.map((t) => hashToken(system.env.LATCHKEY_PEPPER, t)), system.env.LATCHKEY_PEPPER];
    for (const svc of [system.token, ...system.validators, system.audit!, system.policy!]) {
      const log = readFileSync(svc.logFile, 'utf8');
      expect(log.length).toBeGreaterThan(0);
      for (const needle of needles) expect({ file: svc.logFile, leaked: log.includes(needle) }).toEqual({ file: svc.logFile, leaked: false });
    }
  });
});
