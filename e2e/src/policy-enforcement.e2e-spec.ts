import { Client } from 'pg';
import { api, replacePolicy, oidcLogin, startSystem, System, SYSTEM_SCIM_TOKEN, waitFor } from '@latchkey/testing';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

type Json = Record<string, unknown>;
interface TokenBody {
  id: string;
  ownerId: string;
  createdBy: string;
  status: string;
  effectiveStatus: string;
}
interface Created {
  token: TokenBody;
  secret: string;
}

/** What the issue asks of token-service: the policy and directory (fed through SCIM) decide who may create what. */
const RULES = {
  selfService: [
    { name: 'developers', groups: ['developers'], maxScope: 'write' },
    { name: 'readers', groups: ['readers'], maxScope: 'read' },
  ],
  onBehalfOf: [{ name: 'helpdesk', groups: ['helpdesk'], targets: { serviceAccounts: true }, maxScope: 'read' }],
  deactivation: 'revoked',
};

describe('policy enforcement: token-service follows the policy and the SCIM-fed directory', () => {
  let system: System;
  let db: Client;
  const groups: Record<string, string> = {};

  const admin = () => system.bootstrapToken();
  const scim = async (method: string, path: string, body?: unknown) => {
    const res = await api<Json>(system.policy!, method, `/scim/v2${path}`, SYSTEM_SCIM_TOKEN, body);
    if (res.status >= 300) throw new Error(`SCIM ${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const newUser = async (userName: string) => (await scim('POST', '/Users', { schemas: [USER], userName, active: true })).id as string;
  const addMember = (group: string, userId: string) =>
    scim('PATCH', `/Groups/${groups[group]}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: userId }] }] });
  const setActive = (userId: string, active: boolean) => scim('PATCH', `/Users/${userId}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active } }] });

  let made = 0;
  // token names are unique per owner: number them
  const create = (bearer: string, body: Json) => api<Created & Json>(system.token, 'POST', '/v1/tokens', bearer, { name: `e2e ${++made}`, expiresInDays: 7, ...body });
  /** a Latchkey token for a user, made by the bootstrap admin on their behalf (on-behalf by an admin is allowed) */
  async function tokenFor(ownerId: string, scopes = ['write']): Promise<Created> {
    const res = await create(admin(), { scopes, ownerId });
    if (res.status !== 201) throw new Error(`token for ${ownerId}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }
  const tokenView = async (id: string) => (await api<TokenBody>(system.token, 'GET', `/v1/tokens/${id}`, admin())).body;

  /** PUT the whole policy as the bootstrap admin, then wait until token-service's copy has it */
  async function putPolicy(rules: Json): Promise<void> {
    const res = await replacePolicy(system.policy!, admin(), rules);
    expect(res.status).toBe(200);
    await waitFor(async () => (await tokenServicePolicyVersion()) >= res.version, { timeoutMs: 15_000, what: `token-service at policy version ${res.version}` });
  }
  async function tokenServicePolicyVersion(): Promise<number> {
    const health = (await (await system.token.fetch('/health/ready')).json()) as { info?: Record<string, { policyVersion?: number }> };
    return health.info?.['policy-and-directory']?.policyVersion ?? -1;
  }

  beforeAll(async () => {
    system = await startSystem({ policy: true, idp: true, policyEnv: { LATCHKEY_OUTBOX_POLL_MS: '100' } });
    db = new Client({ connectionString: system.databaseUrl });
    await db.connect();
    for (const name of ['developers', 'readers', 'helpdesk']) groups[name] = (await scim('POST', '/Groups', { schemas: [GROUP], displayName: name })).id as string;
    await putPolicy(RULES);
  }, 180_000);

  afterAll(async () => {
    await db?.end().catch(() => undefined);
    await system?.stop();
  }, 60_000);

  it('lets SSO administrators (dev-idp, group latchkey-admins) manage policy-service, and refuses other SSO users', async () => {
    const issuer = system.idp!.baseUrl;
    const sso = await oidcLogin({ issuer, user: 'admin' });
    const alice = await oidcLogin({ issuer, user: 'alice' });
    expect((await api(system.policy!, 'GET', '/v1/directory/groups', sso.accessToken)).status).toBe(200);
    expect((await api(system.policy!, 'GET', '/v1/directory/groups', alice.accessToken)).status).toBe(403);
    expect((await api(system.policy!, 'GET', '/v1/directory/groups', alice.idToken)).status).toBe(401);
  });

  it('refuses a user outside every allowed group, and lets them create within a second of joining `developers` through SCIM', async () => {
    const id = await newUser('uma@example.com');
    const uma = await tokenFor('uma@example.com');

    const refused = await create(uma.secret, { scopes: ['read'] });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ status: 403, code: 'NOT_PERMITTED_BY_POLICY', rule: 'selfService', decision: 'NO_RULE' });

    await addMember('developers', id);
    const joined = Date.now();
    const allowed = await waitFor(async () => {
      const res = await create(uma.secret, { scopes: ['write'] });
      return res.status === 201 ? res.body : null;
    }, { timeoutMs: 10_000, what: 'uma allowed to create after joining developers' });
    expect(Date.now() - joined).toBeLessThan(1000);
    expect(allowed.token).toMatchObject({ ownerId: 'uma@example.com', createdBy: 'uma@example.com' });
  });

  it('answers a read-only group asking for write with 403 naming the rule and the highest scope it allows', async () => {
    const id = await newUser('rita@example.com');
    await addMember('readers', id);
    const rita = await tokenFor('rita@example.com');
    await waitFor(async () => (await create(rita.secret, { scopes: ['read'] })).status === 201, { timeoutMs: 10_000, what: 'rita, a reader, creating a read token' });

    const refused = await create(rita.secret, { scopes: ['write'] });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ rule: 'selfService[readers]', decision: 'SCOPE_NOT_ALLOWED', maxScope: 'read' });
    expect(String(refused.body.detail)).toContain('write');
  });

  it('allows on-behalf-of only for the configured group, for its targets, up to its scope', async () => {
    const svc = await api<Json>(system.policy!, 'POST', '/v1/directory/service-accounts', admin(), { userName: 'svc-sync', displayName: 'Sync job' });
    expect(svc).toMatchObject({ status: 201, body: { kind: 'serviceAccount' } });
    const hankId = await newUser('hank@example.com');
    await addMember('helpdesk', hankId);
    const devId = await newUser('dev@example.com');
    await addMember('developers', devId);
    const hank = await tokenFor('hank@example.com');
    const dev = await tokenFor('dev@example.com');

    const forSvc = await waitFor(async () => {
      const res = await create(hank.secret, { scopes: ['read'], ownerId: 'svc-sync' });
      return res.status === 201 ? res.body : null;
    }, { timeoutMs: 10_000, what: 'hank (helpdesk) creating for svc-sync' });
    expect(forSvc.token).toMatchObject({ ownerId: 'svc-sync', createdBy: 'hank@example.com' });

    // above the rule's scope, or for a person (not a service account): refused
    expect((await create(hank.secret, { scopes: ['write'], ownerId: 'svc-sync' })).body).toMatchObject({ status: 403, rule: 'onBehalfOf[helpdesk]', decision: 'SCOPE_NOT_ALLOWED', maxScope: 'read' });
    expect((await create(hank.secret, { scopes: ['read'], ownerId: 'dev@example.com' })).body).toMatchObject({ status: 403, rule: 'onBehalfOf', decision: 'NOT_ON_BEHALF' });
    // a developer may create for themselves, but not for the service account: they are not in helpdesk
    await waitFor(async () => (await create(dev.secret, { scopes: ['write'] })).status === 201, { timeoutMs: 10_000, what: 'dev creating for themselves' });
    expect((await create(dev.secret, { scopes: ['read'], ownerId: 'svc-sync' })).body).toMatchObject({ status: 403, rule: 'onBehalfOf', decision: 'NOT_ON_BEHALF' });
  });

  it('revoke mode: deactivating a user through SCIM emits TokenRevoked for each of their tokens', async () => {
    const id = await newUser('dora@example.com');
    await addMember('developers', id);
    const first = await tokenFor('dora@example.com');
    const second = await tokenFor('dora@example.com', ['read']);
    const own = await waitFor(async () => {
      const res = await create(first.secret, { scopes: ['write'] });
      return res.status === 201 ? res.body : null;
    }, { timeoutMs: 10_000, what: 'dora creating her own token' });
    const ids = [first.token.id, second.token.id, own.token.id];
    const bystander = await tokenFor('uma@example.com', ['read']);

    await setActive(id, false);
    const revoked = await waitFor(async () => {
      const { rows } = await db.query<{ stream_id: string; actor: Json; data: Json }>(
        `SELECT stream_id, actor, data FROM token.events WHERE type = 'TokenRevoked' AND stream_id = ANY($1)`,
        [[...ids, bystander.token.id]],
      );
      return rows.length >= ids.length ? rows : null;
    }, { timeoutMs: 15_000, what: "TokenRevoked for each of dora's tokens" });
    expect(revoked.map((r) => r.stream_id).sort()).toEqual([...ids].sort());
    expect(revoked.every((r) => r.actor.userId === 'system')).toBe(true);
    for (const tokenId of ids) expect(await tokenView(tokenId)).toMatchObject({ status: 'revoked', effectiveStatus: 'revoked' });
    expect(await tokenView(bystander.token.id)).toMatchObject({ status: 'active', effectiveStatus: 'active' });
  });

  it('blocked mode: a deactivated user’s tokens show blocked, and come back on reactivation', async () => {
    await putPolicy({ ...RULES, deactivation: 'blocked' });
    const id = await newUser('bea@example.com');
    await addMember('developers', id);
    const bea = await tokenFor('bea@example.com');
    const other = await tokenFor('bea@example.com', ['read']);
    const ids = [bea.token.id, other.token.id];

    await setActive(id, false);
    for (const tokenId of ids) {
      await waitFor(async () => (await tokenView(tokenId)).effectiveStatus === 'blocked', { timeoutMs: 10_000, what: `token ${tokenId} blocked` });
      expect(await tokenView(tokenId)).toMatchObject({ status: 'active', effectiveStatus: 'blocked' });
    }
    // the token manager shows them blocked too, found through the directory's group
    const listed = await api<{ items: TokenBody[] }>(system.token, 'GET', '/v1/admin/tokens?group=developers', admin());
    expect(listed.body.items.filter((t) => ids.includes(t.id)).map((t) => t.effectiveStatus)).toEqual(['blocked', 'blocked']);

    await setActive(id, true);
    for (const tokenId of ids) {
      await waitFor(async () => (await tokenView(tokenId)).effectiveStatus === 'active', { timeoutMs: 10_000, what: `token ${tokenId} active again` });
    }
    const { rows } = await db.query(`SELECT 1 FROM token.events WHERE type = 'TokenRevoked' AND stream_id = ANY($1)`, [ids]);
    expect(rows).toHaveLength(0);
  });
});
