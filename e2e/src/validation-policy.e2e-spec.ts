import { IssueTokenResponse, TokenDetails } from '@latchkey/contracts';
import { api, replacePolicy, ServiceProcess, startSystem, System, SYSTEM_SCIM_TOKEN, validate, waitFor } from '@latchkey/testing';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
/** token-service's default LATCHKEY_REVOKE_WAIT_MS: how long a revoke waits for the replicas */
const REVOCATION_BOUND_MS = 2000;

type Json = Record<string, unknown>;

/**
 * validation-service enforces the policy and the directory from its own copy (fed by Kafka): deactivation through
 * SCIM, the global IP allowlist, basic auth with passwords; and reports a rotated-away secret's reuse to token-service.
 */
describe('validation follows the policy, the directory and reuse detection (two replicas)', () => {
  let system: System;
  let made = 0;

  const admin = () => system.bootstrapToken();
  const scim = async (method: string, path: string, body?: unknown) => {
    const res = await api<Json>(system.policy!, method, `/scim/v2${path}`, SYSTEM_SCIM_TOKEN, body);
    if (res.status >= 300) throw new Error(`SCIM ${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const newUser = async (userName: string) => (await scim('POST', '/Users', { schemas: [USER], userName, active: true })).id as string;
  const setActive = (userId: string, active: boolean) => scim('PATCH', `/Users/${userId}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active } }] });
  async function tokenFor(ownerId: string | undefined, scopes = ['read']): Promise<IssueTokenResponse> {
    const res = await api<IssueTokenResponse>(system.token, 'POST', '/v1/tokens', admin(), { name: `vp ${++made}`, scopes, expiresInDays: 7, ...(ownerId ? { ownerId } : {}) });
    if (res.status !== 201) throw new Error(`token for ${ownerId ?? 'admin'}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }
  const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

  async function replicaState(v: ServiceProcess): Promise<{ policyVersion: number; users: number }> {
    const body = (await (await v.fetch('/health/ready')).json()) as { details?: Record<string, { policyVersion?: number; users?: number }> };
    const d = body.details?.['policy-and-directory'];
    return { policyVersion: d?.policyVersion ?? -1, users: d?.users ?? -1 };
  }

  /** PUT the policy as the bootstrap admin, then wait until every replica holds that version */
  async function putPolicy(rules: Json): Promise<void> {
    const res = await replacePolicy(system.policy!, admin(), rules);
    expect(res.status).toBe(200);
    for (const v of system.validators) {
      await waitFor(async () => (await replicaState(v)).policyVersion >= res.version, { timeoutMs: 15_000, what: `${v.baseUrl} at policy version ${res.version}` });
    }
  }

  beforeAll(async () => {
    system = await startSystem({ validators: 2, policy: true, policyEnv: { LATCHKEY_OUTBOX_POLL_MS: '100' } });
  }, 180_000);

  afterAll(async () => {
    await system?.stop();
  }, 60_000);

  it('is ready only with the policy and directory caught up', async () => {
    for (const v of system.validators) {
      const res = await v.fetch('/health/ready');
      const body = (await res.json()) as { details: Record<string, { status: string }> };
      expect(res.status).toBe(200);
      expect(body.details['policy-and-directory']).toMatchObject({ status: 'up', caughtUp: true });
      expect(body.details['replica-presence']).toMatchObject({ status: 'up', announced: true });
    }
  });

  it('deactivation through SCIM: every token of the user answers USER_INACTIVE on every replica within the revocation bound; reactivation restores them (blocked mode)', async () => {
    const id = await newUser('vera@example.com');
    const tokens = [await tokenFor('vera@example.com'), await tokenFor('vera@example.com', ['write'])];
    const bystander = await tokenFor(undefined);
    // every replica knows vera (active) before the change, so what is measured is the deactivation alone
    for (const v of system.validators) {
      await waitFor(async () => (await replicaState(v)).users >= 1, { timeoutMs: 10_000, what: 'vera in the directory copy' });
      for (const t of tokens) await expect(validate(v, { token: t.secret })).resolves.toMatchObject({ code: 'VALID' });
    }

    const everywhere = async (code: string) => {
      for (const v of system.validators) for (const t of tokens) if ((await validate(v, { token: t.secret })).code !== code) return false;
      return true;
    };
    const called = performance.now();
    await setActive(id, false);
    const answered = performance.now();
    await waitFor(() => everywhere('USER_INACTIVE'), { timeoutMs: 10_000, intervalMs: 2, what: 'USER_INACTIVE on every replica' });
    const fromAnswer = performance.now() - answered;
    const fromCall = performance.now() - called;
    console.log(
      `deactivation: ${tokens.length} tokens USER_INACTIVE on ${system.validators.length}/${system.validators.length} replicas ` +
        `${fromAnswer.toFixed(1)} ms after the SCIM answer (${fromCall.toFixed(1)} ms after the call; revocation bound ${REVOCATION_BOUND_MS} ms)`,
    );
    expect(fromAnswer).toBeLessThan(REVOCATION_BOUND_MS);
    for (const v of system.validators) await expect(validate(v, { token: bystander.secret })).resolves.toMatchObject({ code: 'VALID' });

    const reactivated = performance.now();
    await setActive(id, true);
    await waitFor(() => everywhere('VALID'), { timeoutMs: 10_000, intervalMs: 2, what: 'VALID again on every replica' });
    console.log(`reactivation: VALID again on every replica ${(performance.now() - reactivated).toFixed(1)} ms after the call`);
  });

  it('global CIDR allowlist (IPv4 and IPv6): outside addresses get IP_DENIED on every replica', async () => {
    const t = await tokenFor(undefined);
    await putPolicy({ ipAllowlist: ['10.0.0.0/8', '2001:db8::/32'] });
    for (const v of system.validators) {
      await expect(validate(v, { token: t.secret, ip: '10.20.30.40' })).resolves.toMatchObject({ code: 'VALID' });
      await expect(validate(v, { token: t.secret, ip: '2001:db8::42' })).resolves.toMatchObject({ code: 'VALID' });
      await expect(validate(v, { token: t.secret, ip: '192.0.2.10' })).resolves.toMatchObject({ code: 'IP_DENIED' });
      await expect(validate(v, { token: t.secret, ip: '2001:db9::1' })).resolves.toMatchObject({ code: 'IP_DENIED' });
    }
    // lifted again: any address
    await putPolicy({ ipAllowlist: [] });
    for (const v of system.validators) await expect(validate(v, { token: t.secret, ip: '192.0.2.10' })).resolves.toMatchObject({ code: 'VALID' });
  });

  it('basic auth with a password: BASIC_AUTH_DISABLED except on the allowed paths and users (PASSWORD there)', async () => {
    const mine = await tokenFor(undefined);
    await putPolicy({ basicAuth: { mode: 'disabled', exceptions: { paths: ['/rest/legacy/**'], users: ['legacy-bot'], groups: [] } } });
    const check = (v: ServiceProcess, user: string, path: string, ip?: string) =>
      validate(v, { authorization: basic(user, 'hunter2-not-a-token'), path, ...(ip ? { ip } : {}) }).then((r) => r.code);
    for (const v of system.validators) {
      expect(await check(v, 'alice', '/rest/api/2/myself')).toBe('BASIC_AUTH_DISABLED');
      expect(await check(v, 'alice', '/rest/legacy/report')).toBe('PASSWORD');
      expect(await check(v, 'legacy-bot', '/rest/api/2/myself')).toBe('PASSWORD');
      const asPassword = await validate(v, { authorization: basic('legacy-bot', 'x'), path: '/rest/api/2/myself' });
      expect(asPassword).toMatchObject({ valid: false, code: 'PASSWORD', userId: 'legacy-bot', tokenId: null });
      // a token as the Basic password is still a token
      await expect(validate(v, { authorization: basic(mine.token.ownerId, mine.secret) })).resolves.toMatchObject({ code: 'VALID' });
    }
    await putPolicy({ basicAuth: { mode: 'allowed', exceptions: { paths: [], users: [], groups: [] } } });
    for (const v of system.validators) expect(await check(v, 'alice', '/rest/api/2/myself')).toBe('PASSWORD');
  });

  it('reuse of a rotated-away secret after its grace, presented to a validator, revokes the token on every replica', async () => {
    const original = await tokenFor(undefined);
    const rotated = await api<IssueTokenResponse>(system.token, 'POST', `/v1/tokens/${original.token.id}/rotate`, admin(), { graceSeconds: 1 });
    expect(rotated.status).toBe(200);
    const [first, second] = system.validators;
    // within the grace both secrets work, and nothing is reported
    await expect(validate(first, { token: original.secret })).resolves.toMatchObject({ code: 'VALID' });
    for (const v of system.validators) await expect(validate(v, { token: rotated.body.secret })).resolves.toMatchObject({ code: 'VALID' });

    // after the grace the old secret is REVOKED (rotated away), and the validator reports its reuse
    await waitFor(async () => (await validate(first, { token: original.secret })).code === 'REVOKED', { timeoutMs: 5_000, intervalMs: 100, what: 'the grace to end' });
    const reported = performance.now();
    for (const v of [first, second]) {
      await waitFor(async () => (await validate(v, { token: rotated.body.secret })).code === 'REVOKED', { timeoutMs: 10_000, intervalMs: 5, what: `the current secret REVOKED on ${v.baseUrl}` });
    }
    console.log(`reuse detection: the whole token REVOKED on every replica ${(performance.now() - reported).toFixed(1)} ms after the old secret was presented`);
    const details = (await api<TokenDetails>(system.token, 'GET', `/v1/tokens/${original.token.id}`, admin())).body;
    expect(details).toMatchObject({ status: 'revoked' });
    expect(String(details.revokedReason)).toContain('reuse');
  });
});
