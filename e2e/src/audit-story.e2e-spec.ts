import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { AuditEcsRecord, IssueTokenResponse, Topics, topicName } from '@latchkey/contracts';
import { hashToken } from '@latchkey/token-format';
import { infraDefaults, oidcLogin, waitFor } from '@latchkey/testing';
import { api, startSystem, System, SYSTEM_SCIM_TOKEN, validate } from './system';

const run = promisify(execFile);
const KCAT = '/usr/bin/kcat';
const SCIM_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

interface Entry {
  seq: number;
  action: string;
  outcome: string;
  reason: string | null;
  actorId: string | null;
  actorVia: string | null;
  onBehalfOf: string | null;
  tokenId: string | null;
  userId: string | null;
  aggregateId: string;
}

/** One record as `kcat -J` prints it. */
interface KcatMessage {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  payload: string | null;
}

/**
 * Issue 6, "Must show": a scripted story through the real services lands in the audit log in order with the right
 * actors, a SIEM reading latchkey.audit.v1 with kcat gets valid ECS JSON for every entry, and no token secret
 * or its HMAC is anywhere in the audit table or on the SIEM topic.
 */
describe('audit trail of a scripted story, read back as a SIEM would', () => {
  let system: System;
  let admin: string;
  let db: Client;
  const secrets: string[] = [];
  const story: Entry[] = [];
  let siemRaw = '';

  beforeAll(async () => {
    system = await startSystem({ validators: 1, audit: true, policy: true, idp: true, validatorEnv: { LATCHKEY_USAGE_FLUSH_MS: '200' } });
    admin = system.bootstrapToken();
    secrets.push(admin);
    db = new Client({ connectionString: system.databaseUrl });
    await db.connect();
  }, 240_000);

  afterAll(async () => {
    await db?.end();
    await system?.stop();
  }, 60_000);

  /** Waits for the audit entry a step must have produced (admins only, with the bootstrap admin token) and keeps it. */
  async function audited(what: string, query: string, match: (e: Entry) => boolean): Promise<Entry> {
    const entry = await waitFor(
      async () => {
        const res = await system.audit!.fetch(`/v1/audit?${query}&limit=500`, { headers: { authorization: `Bearer ${admin}` } });
        if (res.status !== 200) throw new Error(`GET /v1/audit answered ${res.status}: ${await res.text()}`);
        return ((await res.json()) as { items: Entry[] }).items.find(match) ?? null;
      },
      { timeoutMs: 20_000, intervalMs: 100, what },
    );
    story.push(entry);
    return entry;
  }

  it('records create, use, rotate, a late old secret, revoke, a denial, a policy change and a SCIM deactivation in order, with their actors', async () => {
    const [validator] = system.validators;
    const alice = await oidcLogin({ issuer: system.idp!.baseUrl, user: 'alice' });

    // 1. alice (SSO) creates a write token for herself, and a read token for a report
    const created = await api<IssueTokenResponse>(system.token, 'POST', '/v1/tokens', alice.accessToken, { name: 'ci deploy', scopes: ['write'], expiresInDays: 7 });
    expect(created.status).toBe(201);
    const t1 = created.body.token.id;
    secrets.push(created.body.secret);
    await audited('TokenIssued', `tokenId=${t1}&action=TokenIssued`, (e) => e.actorId === 'alice' && e.actorVia === 'oidc');
    const weekly = await api<IssueTokenResponse>(system.token, 'POST', '/v1/tokens', alice.accessToken, { name: 'weekly report', scopes: ['read'], expiresInDays: 7 });
    expect(weekly.status).toBe(201);
    const t2 = weekly.body.token.id;
    secrets.push(weekly.body.secret);
    await audited('TokenIssued (report)', `tokenId=${t2}&action=TokenIssued`, (e) => e.actorId === 'alice');

    // 2. a script uses the write token: VALID on the validator, which batches usage to latchkey.usage.v1
    await expect(validate(validator, { token: created.body.secret, userAgent: 'deploy-script/1.0' })).resolves.toMatchObject({ valid: true, code: 'VALID' });
    await audited('TokenUsage', `tokenId=${t1}&action=TokenUsage`, (e) => e.actorId === 'alice' && e.tokenId === t1);

    // 3. alice rotates it with a one-second grace
    const rotated = await api<IssueTokenResponse & { token: { previousSecretValidUntil: string } }>(system.token, 'POST', `/v1/tokens/${t1}/rotate`, alice.accessToken, { graceSeconds: 1 });
    expect(rotated.status).toBe(200);
    secrets.push(rotated.body.secret);
    await audited('TokenRotated', `tokenId=${t1}&action=TokenRotated`, (e) => e.actorId === 'alice' && e.actorVia === 'oidc');

    // 4. the old secret after the grace: denied (published to latchkey.decision.v1), and reported to token-service as
    //    reuse of a rotated-away secret, which revokes the token (actor: system); both land, in either order
    const graceEnds = Date.parse(rotated.body.token.previousSecretValidUntil);
    await waitFor(() => Date.now() > graceEnds + 50, { timeoutMs: 5_000, what: 'the end of the grace period' });
    await expect(validate(validator, { token: created.body.secret })).resolves.toMatchObject({ valid: false, code: 'REVOKED' });
    await audited('AccessDenied (old secret)', `tokenId=${t1}&action=AccessDenied`, (e) => e.outcome === 'failure' && e.reason === 'REVOKED');
    await audited('TokenRevoked (reuse)', `tokenId=${t1}&action=TokenRevoked`, (e) => e.actorId === 'system' && e.actorVia === 'system');

    // 5. an administrator (the bootstrap admin token) revokes alice's report token
    expect((await api(system.token, 'DELETE', `/v1/tokens/${t2}`, admin)).status).toBe(200);
    await audited('TokenRevoked (admin)', `tokenId=${t2}&action=TokenRevoked`, (e) => e.actorId === 'admin' && e.actorVia === 'latchkey-token');

    // 6. a read token tries to write: SCOPE_DENIED
    const reader = await api<IssueTokenResponse>(system.token, 'POST', '/v1/tokens', alice.accessToken, { name: 'reporting', scopes: ['read'], expiresInDays: 7 });
    expect(reader.status).toBe(201);
    secrets.push(reader.body.secret);
    const t3 = reader.body.token.id;
    await audited('TokenIssued (reader)', `tokenId=${t3}&action=TokenIssued`, (e) => e.actorId === 'alice');
    await expect(validate(validator, { token: reader.body.secret, method: 'POST', path: '/rest/api/2/issue' })).resolves.toMatchObject({ valid: false, code: 'SCOPE_DENIED' });
    await audited('AccessDenied (scope)', `tokenId=${t3}&action=AccessDenied`, (e) => e.reason === 'SCOPE_DENIED' && e.actorId === 'alice');

    // 7. an administrator (the bootstrap admin token, checked by policy-service through libs/auth) changes the policy
    const policy = system.policy!;
    const current = await policy.fetch('/v1/policy');
    const etag = current.headers.get('etag')!;
    const { rules } = (await current.json()) as { rules: Record<string, unknown> };
    const put = await policy.fetch('/v1/policy', {
      method: 'PUT',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json', 'if-match': etag },
      body: JSON.stringify({ rules: { ...rules, maxTokensPerUser: 25 } }),
    });
    expect(put.status).toBe(200);
    await audited('PolicyChanged', 'action=PolicyChanged', (e) => e.actorId === 'admin' && e.actorVia === 'latchkey-token');

    // 8. the IdP provisions a user, then deactivates them (SCIM PATCH active:false)
    const scim = (method: string, path: string, body: unknown) =>
      policy.fetch(`/scim/v2${path}`, { method, headers: { authorization: `Bearer ${SYSTEM_SCIM_TOKEN}`, 'content-type': 'application/scim+json' }, body: JSON.stringify(body) });
    const provisioned = await scim('POST', '/Users', { schemas: [SCIM_USER], userName: 'alice', name: { givenName: 'Alice', familyName: 'Example' }, active: true });
    expect(provisioned.status).toBe(201);
    const userId = ((await provisioned.json()) as { id: string }).id;
    await audited('UserProvisioned', `action=UserProvisioned`, (e) => e.aggregateId === userId && e.actorVia === 'scim');
    const deactivated = await scim('PATCH', `/Users/${userId}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] });
    expect(deactivated.status).toBe(200);
    await audited('UserDeactivated', `action=UserDeactivated`, (e) => e.aggregateId === userId && e.actorVia === 'scim');
    // her tokens stop at once (the validator's copy of the directory), and that denial is audited too
    await waitFor(async () => (await validate(validator, { token: reader.body.secret })).code === 'USER_INACTIVE', { timeoutMs: 10_000, what: 'USER_INACTIVE' });
    await audited('AccessDenied (inactive)', `tokenId=${t3}&action=AccessDenied`, (e) => e.reason === 'USER_INACTIVE');

    // the log holds the story in the order it happened (the denial of step 4 and the reuse revocation it causes
    // travel different topics, so those two may be either way round)
    const REUSE = 5;
    const seqs = story.map((e) => e.seq);
    const ordered = [...seqs.slice(0, REUSE - 1), Math.min(seqs[REUSE - 1], seqs[REUSE]), Math.max(seqs[REUSE - 1], seqs[REUSE]), ...seqs.slice(REUSE + 1)];
    expect(ordered).toEqual([...seqs].sort((a, b) => a - b));
    expect(story.map((e) => [e.action, e.actorId, e.reason])).toEqual([
      ['TokenIssued', 'alice', null],
      ['TokenIssued', 'alice', null],
      ['TokenUsage', 'alice', null],
      ['TokenRotated', 'alice', null],
      ['AccessDenied', 'alice', 'REVOKED'],
      ['TokenRevoked', 'system', expect.stringMatching(/reuse/)],
      ['TokenRevoked', 'admin', expect.anything()],
      ['TokenIssued', 'alice', null],
      ['AccessDenied', 'alice', 'SCOPE_DENIED'],
      ['PolicyChanged', 'admin', null],
      ['UserProvisioned', 'scim', null],
      ['UserDeactivated', 'scim', null],
      ['AccessDenied', 'alice', 'USER_INACTIVE'],
    ]);

    // a SIEM reads latchkey.audit.v1 from the beginning with kcat: every entry once, each valid ECS JSON
    const [{ n: total }] = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit.entries')).rows;
    const topic = topicName(Topics.audit, system.namespace);
    const records = await waitFor(
      async () => {
        const { stdout } = await run(KCAT, ['-b', infraDefaults.kafkaBrokers[0], '-C', '-t', topic, '-o', 'beginning', '-e', '-J', '-q'], { maxBuffer: 64 * 1024 * 1024 });
        const lines = stdout.split('\n').filter(Boolean);
        if (lines.length < total) return null;
        siemRaw = stdout;
        return lines.map((l) => JSON.parse(l) as KcatMessage);
      },
      { timeoutMs: 30_000, intervalMs: 500, what: `${total} records on ${topic}` },
    );
    const ecs = records.map((m) => {
      const r = JSON.parse(m.payload ?? 'null') as AuditEcsRecord;
      expect(m.key).toBe(r.event.id);
      expect(r).toMatchObject({
        '@timestamp': expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
        ecs: { version: expect.stringMatching(/^8\.\d+\.\d+$/) },
        message: expect.any(String),
        event: { kind: 'event', module: 'latchkey', dataset: 'latchkey.audit', action: expect.any(String), outcome: expect.stringMatching(/^(success|failure)$/), category: expect.any(Array), type: expect.any(Array) },
        user: { name: expect.any(String), id: expect.any(String) },
        latchkey: { aggregate: { type: expect.any(String), id: expect.any(String) }, chain: { seq: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/) } },
      });
      expect(r.event.category.length).toBeGreaterThan(0);
      return r;
    });
    // every entry once (later ones, e.g. the usage of the probe above, may have joined meanwhile)
    expect(new Set(ecs.map((r) => r.event.id)).size).toBe(records.length);
    expect(new Set(ecs.map((r) => r.latchkey.chain.seq))).toEqual(new Set(ecs.map((_, i) => i + 1)));
    console.log(`kcat read ${records.length} ECS records from ${topic}; the scope denial:\n${records.find((m) => m.payload?.includes('SCOPE_DENIED'))?.payload}`);
    // the story, as the SIEM sees it
    const bySeq = new Map(ecs.map((r) => [r.latchkey.chain.seq, r]));
    expect(story.map((e) => [bySeq.get(e.seq)?.event.action, bySeq.get(e.seq)?.user?.name])).toEqual(story.map((e) => [e.action, e.actorId]));
    const scopeDenial = bySeq.get(story[8].seq)!;
    expect(scopeDenial).toMatchObject({ event: { category: ['authentication'], outcome: 'failure', reason: 'SCOPE_DENIED' }, source: { ip: '10.1.2.3' }, latchkey: { token: { id: story[8].tokenId } } });
    expect(bySeq.get(story[2].seq)).toMatchObject({ user_agent: { original: 'deploy-script/1.0' }, latchkey: { token: { id: story[0].tokenId } } });
    expect(bySeq.get(story[0].seq)).toMatchObject({ latchkey: { token: { scopes: ['write'], owner: 'alice' }, actor: { via: 'oidc' } } });

    // the chain over all of it verifies
    const verify = await system.audit!.fetch('/v1/audit/verify', { headers: { authorization: `Bearer ${admin}` } });
    const report = (await verify.json()) as { ok: boolean; checked: number };
    expect(report.ok).toBe(true);
    expect(report.checked).toBeGreaterThanOrEqual(total);
  }, 180_000);

  it('has no token secret and no HMAC of one anywhere in the audit table or on the SIEM topic', async () => {
    expect(secrets).toHaveLength(5); // the bootstrap admin token, the write token before and after rotation, the two read tokens
    expect(siemRaw.length).toBeGreaterThan(0);
    const pepper = system.env.LATCHKEY_PEPPER;
    const needles = secrets.flatMap((s) => [s, hashToken(pepper, s)]);
    const tables = ['entries', 'checkpoints', 'chain_head', 'siem_cursor'];
    for (const table of tables) {
      // every column of every row, as text
      const { rows } = await db.query<{ row: string }>(`SELECT t::text AS row FROM audit.${table} t`);
      const text = rows.map((r) => r.row).join('\n').toLowerCase();
      expect({ table, found: needles.filter((n) => text.includes(n.toLowerCase())) }).toEqual({ table, found: [] });
    }
    // kcat -J: keys, payloads (and headers) of every record
    const siem = siemRaw.toLowerCase();
    expect(needles.filter((n) => siem.includes(n.toLowerCase()))).toEqual([]);
    // the grep itself can find what it looks for: the token-service's own table holds the hashes
    const { rows } = await db.query<{ row: string }>('SELECT t::text AS row FROM token.token_secrets t');
    expect(rows.some((r) => r.row.includes(hashToken(pepper, secrets[4])))).toBe(true);
  });
});
