import { Client } from 'pg';
import { IssueTokenResponse, TokenDetails, TokenView } from '@latchkey/contracts';
import { waitFor } from '@latchkey/testing';
import { api, startSystem, System } from './system';

type Page = { items: TokenDetails[]; nextCursor: string | null };

/** The token lifecycle through the real token-service (issue 3), against real PostgreSQL, Kafka and Redis. */
describe('token lifecycle', () => {
  let system: System;
  let admin: string;
  let alice: string; // a write token of alice, created on her behalf
  let db: Client;

  const issue = (bearer: string, body: Record<string, unknown>) => api<IssueTokenResponse>(system.token, 'POST', '/v1/tokens', bearer, body);

  beforeAll(async () => {
    system = await startSystem({ tokenEnv: { LATCHKEY_EXPIRY_INTERVAL_MS: '200', LATCHKEY_EXPIRY_WARNING_DAYS: '1', LATCHKEY_LEAKED_RATE_PER_MINUTE: '3' } });
    admin = system.bootstrapToken();
    const created = await issue(admin, { name: 'alice write', scopes: ['write'], ownerId: 'alice' });
    expect(created.status).toBe(201);
    alice = created.body.secret;
    db = new Client({ connectionString: system.databaseUrl });
    await db.connect();
  }, 180_000);

  afterAll(async () => {
    await db?.end();
    await system?.stop();
  }, 60_000);

  it('creates a token with every setting, shows the secret once, and records on whose behalf', async () => {
    const expiresAt = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const res = await issue(admin, { name: 'jira sync', scopes: ['read', 'write'], expiresAt, allowedCidrs: ['10.9.8.7/16', '2001:db8::1/48'], ownerId: 'bob' });
    expect(res.status).toBe(201);
    const { token } = res.body;
    expect(token).toMatchObject({ name: 'jira sync', ownerId: 'bob', createdBy: 'admin', scopes: ['read', 'write'], allowedCidrs: ['10.9.0.0/16', '2001:db8::/48'], status: 'active', expiresAt });
    const details = await api<TokenDetails & { secret?: string }>(system.token, 'GET', `/v1/tokens/${token.id}`, admin);
    expect(details.body).toMatchObject({ id: token.id, hint: token.hint, lastUsedAt: null, useCount: 0, effectiveStatus: 'active' });
    expect(JSON.stringify(details.body)).not.toContain(res.body.secret);
    const events = await db.query<{ type: string; actor: { userId: string; onBehalfOf?: string } }>('SELECT type, actor FROM token.events WHERE stream_id = $1', [token.id]);
    expect(events.rows).toEqual([{ type: 'TokenIssued', actor: expect.objectContaining({ userId: 'admin', onBehalfOf: 'bob' }) }]);
  });

  it('keeps names unique per owner among active tokens, and renames', async () => {
    const a = await issue(alice, { name: 'Unique Name', scopes: ['read'] });
    expect(a.status).toBe(201);
    expect((await issue(alice, { name: 'unique name', scopes: ['read'] })).status).toBe(409);
    expect((await issue(admin, { name: 'unique name', scopes: ['read'] })).status).toBe(201); // another owner
    const renamed = await api<{ token: TokenView }>(system.token, 'PATCH', `/v1/tokens/${a.body.token.id}`, alice, { name: 'renamed' });
    expect(renamed.body.token).toMatchObject({ name: 'renamed', version: 2 });
    expect((await issue(alice, { name: 'unique name', scopes: ['read'] })).status).toBe(201); // free again
    await api(system.token, 'DELETE', `/v1/tokens/${a.body.token.id}?wait=false`, alice);
    expect((await issue(alice, { name: 'renamed', scopes: ['read'] })).status).toBe(201); // revoked ones don't count
  });

  it("hides other users' tokens: 404 to see, rename, rotate or revoke", async () => {
    const mine = await issue(admin, { name: 'admin only', scopes: ['read'] });
    const id = mine.body.token.id;
    expect((await api(system.token, 'GET', `/v1/tokens/${id}`, alice)).status).toBe(404);
    expect((await api(system.token, 'PATCH', `/v1/tokens/${id}`, alice, { name: 'x' })).status).toBe(404);
    expect((await api(system.token, 'POST', `/v1/tokens/${id}/rotate`, alice, { graceSeconds: 0 })).status).toBe(404);
    expect((await api(system.token, 'DELETE', `/v1/tokens/${id}`, alice)).status).toBe(404);
    expect((await api(system.token, 'GET', `/v1/admin/tokens`, alice)).status).toBe(403);
    expect((await api<TokenView>(system.token, 'GET', `/v1/tokens/${id}`, admin)).body.status).toBe('active');
  });

  it('lets a read-scope token look but not change anything', async () => {
    const reader = (await issue(alice, { name: 'reader', scopes: ['read'] })).body;
    expect((await api(system.token, 'GET', '/v1/tokens', reader.secret)).status).toBe(200);
    expect((await issue(reader.secret, { name: 'nope', scopes: ['read'] })).status).toBe(403);
    expect((await api(system.token, 'DELETE', `/v1/tokens/${reader.token.id}`, reader.secret)).status).toBe(403);
  });

  it('rotates: the old secret works until the grace ends, exactly, then a reuse revokes the whole token', async () => {
    const t = (await issue(alice, { name: 'rotating', scopes: ['write'] })).body;
    const rotated = await api<IssueTokenResponse>(system.token, 'POST', `/v1/tokens/${t.token.id}/rotate`, t.secret, { graceSeconds: 2 });
    expect(rotated.status).toBe(200);
    const graceEnds = Date.parse(rotated.body.token.previousSecretValidUntil as string);
    expect(rotated.body.token.secretGeneration).toBe(2);
    expect(rotated.body.secret).not.toBe(t.secret);
    // both secrets work during the grace
    expect((await api(system.token, 'GET', `/v1/tokens/${t.token.id}`, t.secret)).status).toBe(200);
    expect((await api(system.token, 'GET', `/v1/tokens/${t.token.id}`, rotated.body.secret)).status).toBe(200);
    await waitFor(() => Date.now() > graceEnds + 20, { timeoutMs: 5000, what: 'grace end' });
    // the old secret after the grace: refused, and the token is revoked as a whole (reuse detection)
    expect((await api(system.token, 'GET', `/v1/tokens/${t.token.id}`, t.secret)).status).toBe(401);
    expect((await api(system.token, 'GET', `/v1/tokens/${t.token.id}`, rotated.body.secret)).status).toBe(401);
    const after = await api<TokenDetails>(system.token, 'GET', `/v1/tokens/${t.token.id}`, alice);
    expect(after.body).toMatchObject({ status: 'revoked', revokedReason: expect.stringMatching(/reuse/) });
  });

  it('rotates with no grace: the old secret stops at once', async () => {
    const t = (await issue(alice, { name: 'rotating now', scopes: ['write'] })).body;
    const rotated = await api<IssueTokenResponse>(system.token, 'POST', `/v1/tokens/${t.token.id}/rotate`, alice, {});
    expect(rotated.body.token.previousSecretValidUntil).toBeNull();
    expect((await api(system.token, 'GET', '/v1/tokens', rotated.body.secret)).status).toBe(200);
  });

  it("bulk-revokes all 500 of a user's tokens", async () => {
    for (let i = 0; i < 500; i++) {
      const res = await issue(admin, { name: `bulk-${i}`, scopes: ['read'], ownerId: 'carol' });
      expect(res.status).toBe(201);
    }
    const started = performance.now();
    const res = await api<{ revoked: number; propagation: { replicas: number } }>(system.token, 'POST', '/v1/admin/tokens/revoke', admin, { ownerId: 'carol' });
    console.log(`bulk revoke of 500 tokens: ${(performance.now() - started).toFixed(0)} ms`);
    expect(res.status).toBe(200);
    expect(res.body.revoked).toBe(500);
    const left = await db.query(`SELECT count(*)::int AS n FROM token.tokens WHERE owner_id = 'carol' AND status = 'active'`);
    expect(left.rows[0].n).toBe(0);
    const events = await db.query(`SELECT count(*)::int AS n FROM token.events e JOIN token.tokens t ON t.id::text = e.stream_id WHERE t.owner_id = 'carol' AND e.type = 'TokenRevoked'`);
    expect(events.rows[0].n).toBe(500);
  }, 120_000);

  it('revokes leaked tokens found in the wild, says how many but not which, and rate-limits reporters', async () => {
    const victim = (await issue(alice, { name: 'leaked one', scopes: ['read'] })).body;
    const report = (tokens: string[]) => system.token.fetch('/v1/tokens/leaked', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tokens }) });
    const res = await report(['lk_notatoken', victim.secret, `${victim.secret.slice(0, -1)}x`, 'hello']);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: 4, revoked: 1 });
    expect((await api<TokenView>(system.token, 'GET', `/v1/tokens/${victim.token.id}`, alice)).body).toMatchObject({ status: 'revoked', revokedReason: 'reported as leaked' });
    expect((await report(Array.from({ length: 1001 }, () => 'x'))).status).toBe(400);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await report(['x'])).status);
    expect(statuses).toContain(429);
  });

  it('gives the token manager filters, sorting, cursor pages and CSV', async () => {
    const owner = `mgr-${Date.now()}`;
    for (const [i, scopes] of [['a', ['read']], ['b', ['write']], ['c', ['read']]] as const) {
      expect((await issue(admin, { name: `manager ${i}`, scopes, ownerId: owner })).status).toBe(201);
    }
    const byName = await api<Page>(system.token, 'GET', `/v1/admin/tokens?owner=${owner}&sort=name&order=asc&limit=2`, admin);
    expect(byName.body.items.map((t) => t.name)).toEqual(['manager a', 'manager b']);
    const next = await api<Page>(system.token, 'GET', `/v1/admin/tokens?owner=${owner}&sort=name&order=asc&limit=2&cursor=${byName.body.nextCursor}`, admin);
    expect(next.body.items.map((t) => t.name)).toEqual(['manager c']);
    expect(next.body.nextCursor).toBeNull();
    const reads = await api<Page>(system.token, 'GET', `/v1/admin/tokens?owner=${owner}&scope=read&neverUsed=true&onBehalf=true`, admin);
    expect(reads.body.items).toHaveLength(2);
    const csv = await system.token.fetch(`/v1/admin/tokens?owner=${owner}&sort=name&order=asc`, { headers: { authorization: `Bearer ${admin}`, accept: 'text/csv' } });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toMatch(/^id,name,owner,/);
    expect(lines.slice(1).map((l) => l.split(',')[1])).toEqual(['manager a', 'manager b', 'manager c']);
    for (const bad of ['sort=colour', 'limit=100000', 'createdFrom=yesterday', 'cursor=%27%3Bdrop', 'status=sleeping', 'unknown=1']) {
      const res = await api<{ status: number }>(system.token, 'GET', `/v1/admin/tokens?${bad}`, admin);
      expect({ bad, status: res.status }).toEqual({ bad, status: 400 });
    }
  });

  it('expires tokens exactly once with two token-service processes, after a warning', async () => {
    const second = system.another('token-service');
    await second.start();
    const expiresAt = new Date(Date.now() + 2500).toISOString();
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push((await issue(admin, { name: `expiring-${i}`, scopes: ['read'], expiresAt })).body.token.id);
    await waitFor(
      async () => {
        const r = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM token.events WHERE type = 'TokenExpired' AND stream_id = ANY($1)`, [ids]);
        return r.rows[0].n >= 10;
      },
      { timeoutMs: 15_000, intervalMs: 100, what: 'TokenExpired for all 10' },
    );
    await new Promise((r) => setTimeout(r, 1000)); // give a duplicate every chance to appear
    const counts = await db.query<{ type: string; n: number }>(`SELECT type, count(*)::int AS n FROM token.events WHERE stream_id = ANY($1) GROUP BY type ORDER BY type`, [ids]);
    expect(counts.rows).toEqual([
      { type: 'TokenExpired', n: 10 },
      { type: 'TokenExpiryWarning', n: 10 },
      { type: 'TokenIssued', n: 10 },
    ]);
    expect((await api<TokenDetails>(system.token, 'GET', `/v1/tokens/${ids[0]}`, admin)).body.status).toBe('expired');
    await second.stop();
  }, 60_000);

  it('rejects bad input with a precise 4xx and changes nothing', async () => {
    const before = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM token.events');
    const cases: Array<[unknown, number, RegExp]> = [
      [{ name: 'x', scopes: ['superuser'] }, 400, /scope/],
      [{ name: 'x', scopes: ['read'], expiresAt: '2001-01-01T00:00:00Z' }, 400, /future/],
      [{ name: 'x'.repeat(101), scopes: ['read'] }, 400, /name/],
      [{ name: 'x', scopes: ['read'], allowedCidrs: ['10.0.0.0/33'] }, 400, /10\.0\.0\.0\/33/],
      [{ name: 'x', scopes: ['read'], allowedCidrs: ['::1/129'] }, 400, /::1\/129/],
      [{ name: 'x', scopes: ['read'], allowedCidrs: ['garbage'] }, 400, /garbage/],
      [{ name: 'x', scopes: ['read'], expiresInDays: 5, expiresAt: new Date(Date.now() + 1e7).toISOString() }, 400, /either/],
      [{ name: 'x', scopes: ['read'], colour: 'blue' }, 400, /colour/],
      [{ name: 'x', scopes: ['read'], ownerId: 'someone' }, 403, /behalf/], // alice is no admin
    ];
    for (const [body, status, detail] of cases) {
      const res = await api<{ detail: string }>(system.token, 'POST', '/v1/tokens', alice, body);
      expect({ body, status: res.status, detail: res.body.detail }).toEqual({ body, status, detail: expect.stringMatching(detail) });
    }
    const huge = await system.token.fetch('/v1/tokens', { method: 'POST', headers: { authorization: `Bearer ${alice}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x', scopes: ['read'], pad: 'x'.repeat(70_000) }) });
    expect(huge.status).toBe(413);
    const notJson = await system.token.fetch('/v1/tokens', { method: 'POST', headers: { authorization: `Bearer ${alice}`, 'content-type': 'application/json' }, body: '{"name": "x",' });
    expect(notJson.status).toBe(400);
    expect((await api(system.token, 'GET', '/v1/tokens/not-a-uuid', alice)).status).toBe(400);
    expect((await api(system.token, 'POST', `/v1/tokens/${'0'.repeat(8)}-0000-7000-8000-000000000000/rotate`, alice, { graceSeconds: -1 })).status).toBe(400);
    const after = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM token.events');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });
});
