import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { Topics, topicName } from '@latchkey/contracts';
import { generateToken } from '@latchkey/token-format';
import { api, infraDefaults, ServiceProcess, startSystem, System, SYSTEM_SCIM_TOKEN, waitFor } from '@latchkey/testing';

const SCIM_TOKEN = SYSTEM_SCIM_TOKEN;
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

type Json = Record<string, unknown>;

describe('policy document: versioned PUT with If-Match, evaluation through SCIM-fed membership', () => {
  let system: System;
  let policy: ServiceProcess;
  const policyEvents: Json[] = [];
  let consumer: ReturnType<Kafka['consumer']>;
  /** administrators' Latchkey tokens (admin scope), made by the bootstrap admin on their behalf */
  const admins: Record<string, string> = {};
  let writer: string;

  async function call(method: string, path: string, opts: { body?: unknown; raw?: string; headers?: Record<string, string>; bearer?: string } = {}) {
    const res = await policy.fetch(path, {
      method,
      headers: {
        authorization: `Bearer ${opts.bearer ?? admins.ada}`,
        ...(opts.body !== undefined || opts.raw !== undefined ? { 'content-type': 'application/json' } : {}),
        ...opts.headers,
      },
      body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
    });
    const text = await res.text();
    return { status: res.status, etag: res.headers.get('etag'), body: (text ? JSON.parse(text) : {}) as Json };
  }
  const put = (ifMatch: string | undefined, rules: unknown, actor = 'ada') =>
    call('PUT', '/v1/policy', { body: { rules }, headers: ifMatch ? { 'if-match': ifMatch } : {}, bearer: admins[actor] });
  async function tokenFor(ownerId: string, scopes: string[]): Promise<string> {
    const res = await api<{ secret: string }>(system.token, 'POST', '/v1/tokens', system.bootstrapToken(), { name: `${ownerId} e2e`, scopes, ownerId, expiresInDays: 1 });
    if (res.status !== 201) throw new Error(`token for ${ownerId}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.secret;
  }
  const scim = (method: string, path: string, body?: unknown) => call(method, `/scim/v2${path}`, { body, bearer: SCIM_TOKEN });
  const evaluate = (body: unknown) => call('POST', '/v1/policy/evaluate', { body });

  beforeAll(async () => {
    system = await startSystem({ policy: true, policyEnv: { LATCHKEY_OUTBOX_POLL_MS: '100' } });
    policy = system.policy!;
    const namespace = system.namespace;
    admins.ada = await tokenFor('ada', ['write', 'admin']);
    admins.bob = await tokenFor('bob', ['write', 'admin']);
    writer = await tokenFor('walt', ['write']);
    const kafka = new Kafka({ clientId: namespace, brokers: infraDefaults.kafkaBrokers, logLevel: logLevel.NOTHING });
    consumer = kafka.consumer({ groupId: `${namespace}-reader`, sessionTimeout: 6000, heartbeatInterval: 1000 });
    await consumer.connect();
    await consumer.subscribe({ topic: topicName(Topics.policy, namespace), fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void policyEvents.push(JSON.parse(message.value!.toString()) as Json) });
  }, 120_000);

  afterAll(async () => {
    await consumer?.disconnect().catch(() => undefined);
    await system?.stop();
  }, 60_000);

  it('serves the defaults at version 0, then a change at version 1 with diff, actor and PolicyChanged on Kafka', async () => {
    const initial = await call('GET', '/v1/policy');
    expect(initial).toMatchObject({ status: 200, etag: '"0"', body: { version: 0, rules: { adminGroup: 'latchkey-admins', deactivation: 'blocked', basicAuth: { mode: 'allowed' } } } });

    // the acting admin comes from the credential; a header naming someone else is ignored
    const changed = await call('PUT', '/v1/policy', {
      body: { rules: { ...(initial.body.rules as Json), deactivation: 'revoked', ipAllowlist: ['10.1.2.3/8', '2001:DB8::/32'] } },
      headers: { 'if-match': '"0"', 'x-latchkey-actor': 'mallory' },
      bearer: admins.ada,
    });
    expect(changed).toMatchObject({ status: 200, etag: '"1"', body: { version: 1, rules: { deactivation: 'revoked', ipAllowlist: ['10.0.0.0/8', '2001:db8::/32'] } } });
    expect((changed.body.diff as Json[]).map((d) => d.path)).toEqual(['deactivation', 'ipAllowlist']);

    await waitFor(async () => policyEvents.length >= 1, { timeoutMs: 15_000, what: 'PolicyChanged on Kafka' });
    expect(policyEvents[0]).toMatchObject({
      type: 'PolicyChanged',
      aggregateId: 'policy',
      version: 1,
      actor: { userId: 'ada', via: 'latchkey-token', tokenId: expect.any(String) },
      data: { rules: { deactivation: 'revoked' }, diff: [{ path: 'deactivation', before: 'blocked', after: 'revoked' }, { path: 'ipAllowlist' }] },
    });
  });

  it('answers a stale If-Match with 412 and changes nothing', async () => {
    const before = await call('GET', '/v1/policy');
    const stale = await put('"0"', { deactivation: 'blocked' });
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ status: 412, code: 'PRECONDITION_FAILED' });
    expect(await call('GET', '/v1/policy')).toMatchObject({ etag: before.etag, body: before.body });
    expect((await put(undefined, {})).status).toBe(428);
  });

  it('lets exactly one of two racing admins win', async () => {
    const { etag } = await call('GET', '/v1/policy');
    const base = (await call('GET', '/v1/policy')).body.rules as Json;
    const [a, b] = await Promise.all([
      put(etag!, { ...base, maxTokensPerUser: 5 }, 'ada'),
      put(etag!, { ...base, maxTokensPerUser: 7 }, 'bob'),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 412]);
    const winner = a.status === 200 ? a : b;
    const now = await call('GET', '/v1/policy');
    expect(now.body).toMatchObject({ version: Number(JSON.parse(etag!)) + 1, rules: { maxTokensPerUser: (winner.body.rules as Json).maxTokensPerUser } });
  });

  describe('bad documents: a clear 4xx, nothing changed', () => {
    let version: string;
    beforeEach(async () => {
      version = (await call('GET', '/v1/policy')).etag!;
    });
    afterEach(async () => {
      expect((await call('GET', '/v1/policy')).etag).toBe(version);
    });

    it.each([
      [{ ipAllowlist: ['10.0.0.0/8', '10.20.0.0/16'] }, 'overlaps'],
      [{ ipAllowlist: ['2001:db8::/32', '2001:db8:1::/48'] }, 'overlaps'],
      [{ ipAllowlist: ['10.0.0.0/33'] }, 'prefix length'],
      [{ ipAllowlist: ['999.1.1.1'] }, 'not a valid IPv4 or IPv6 CIDR'],
      [{ shoeSize: 42 }, 'Unrecognized key'],
      [{ selfService: [{ name: 'x', everyone: true, maxScope: 'superuser' }] }, 'maxScope'],
      [{ basicAuth: { mode: 'disabled', exceptions: { paths: ['no-slash'] } } }, 'must start with'],
    ])('rejects %j', async (rules, message) => {
      const res = await put(version, rules);
      expect(res.status).toBe(400);
      expect(res.body.detail).toContain(message);
    });

    it('rejects malformed JSON', async () => {
      const res = await call('PUT', '/v1/policy', { raw: '{"rules": {', headers: { 'if-match': version } });
      expect(res.status).toBe(400);
    });

    it('rejects a document over 1 MiB with 413', async () => {
      const huge = { rules: { selfService: [{ name: 'big', users: Array.from({ length: 5000 }, (_, i) => `user-${i}-${'x'.repeat(200)}`), maxScope: 'read' }] } };
      const res = await call('PUT', '/v1/policy', { raw: JSON.stringify(huge), headers: { 'if-match': version } });
      expect(res.status).toBe(413);
    });

    it('refuses callers without an administrator credential: 401 unknown, 403 not an admin', async () => {
      expect((await call('PUT', '/v1/policy', { body: { rules: {} }, headers: { 'if-match': version }, bearer: 'wrong' })).status).toBe(401);
      expect((await call('POST', '/v1/policy/evaluate', { body: {}, bearer: 'wrong' })).status).toBe(401);
      expect((await call('GET', '/v1/directory/users', { bearer: SCIM_TOKEN })).status).toBe(401);
      // a well-formed Latchkey token (valid checksum) that token-service does not know
      const unknown = generateToken(randomBytes);
      expect((await call('GET', '/v1/directory/users', { bearer: unknown })).status).toBe(401);
      expect((await call('PUT', '/v1/policy', { body: { rules: {} }, headers: { 'if-match': version }, bearer: writer })).status).toBe(403);
      expect((await call('POST', '/v1/policy/evaluate', { body: {}, bearer: writer })).status).toBe(403);
      expect((await call('POST', '/v1/directory/service-accounts', { body: { userName: 'sneaky' }, bearer: writer })).status).toBe(403);
    });
  });

  it('accepts rules naming unknown groups with a warning; group rules follow SCIM membership at decision time', async () => {
    const { etag } = await call('GET', '/v1/policy');
    const changed = await put(etag!, {
      selfService: [
        { name: 'developers', groups: ['developers'], maxScope: 'write' },
        { name: 'readers', groups: ['readers'], maxScope: 'read' },
      ],
      onBehalfOf: [{ name: 'helpdesk', groups: ['helpdesk'], targets: { serviceAccounts: true }, maxScope: 'read' }],
      ipAllowlist: ['10.0.0.0/8', '2001:db8::/32'],
    });
    expect(changed.status).toBe(200);
    expect((changed.body.warnings as Json[]).map((w) => w.path)).toEqual(
      expect.arrayContaining(['adminGroup', 'selfService.0.groups.0', 'selfService.1.groups.0', 'onBehalfOf.0.groups.0']),
    );

    const erin = await scim('POST', '/Users', { schemas: [USER], userName: 'erin@example.com' });
    const creation = { creation: { actor: 'erin@example.com', scopes: ['write'], lifetimeDays: 30 } };
    expect((await evaluate(creation)).body).toMatchObject({ decision: { allowed: false, code: 'NO_RULE', rule: 'selfService' } });

    const readers = await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'readers', members: [{ value: erin.body.id }] });
    expect((await evaluate(creation)).body).toMatchObject({ decision: { allowed: false, code: 'SCOPE_NOT_ALLOWED', rule: 'selfService[readers]', maxScope: 'read' } });

    const devs = await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'developers' });
    await scim('PATCH', `/Groups/${devs.body.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: erin.body.id }] }] });
    expect((await evaluate(creation)).body).toMatchObject({ decision: { allowed: true, rule: 'selfService[developers]' } });

    // on behalf of: only helpdesk members, only for service accounts
    const svc = await call('POST', '/v1/directory/service-accounts', { body: { userName: 'svc-sync', displayName: 'Sync job' } });
    expect(svc).toMatchObject({ status: 201, body: { kind: 'serviceAccount', active: true } });
    const obo = { creation: { actor: 'erin@example.com', ownerId: 'svc-sync', scopes: ['read'], lifetimeDays: 30 } };
    expect((await evaluate(obo)).body).toMatchObject({ decision: { allowed: false, code: 'NOT_ON_BEHALF' } });
    await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'helpdesk', members: [{ value: erin.body.id }] });
    expect((await evaluate(obo)).body).toMatchObject({ decision: { allowed: true, rule: 'onBehalfOf[helpdesk]' } });

    // request evaluation: deactivation through SCIM, then the global allowlist
    const request = { request: { userId: 'erin@example.com', ip: '10.9.9.9', method: 'GET', path: '/rest/api/2/myself', credential: 'token' } };
    expect((await evaluate(request)).body).toMatchObject({ decision: { allowed: true, code: 'OK' } });
    expect((await evaluate({ request: { ...request.request, ip: '192.0.2.1' } })).body).toMatchObject({ decision: { code: 'IP_DENIED', rule: 'ipAllowlist' } });
    expect((await evaluate({ request: { ...request.request, ip: '2001:db8::7' } })).body).toMatchObject({ decision: { code: 'OK' } });
    expect((await evaluate({ request: { ...request.request, ip: '2001:db9::7' } })).body).toMatchObject({ decision: { code: 'IP_DENIED' } });
    await scim('PATCH', `/Users/${erin.body.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
    expect((await evaluate(request)).body).toMatchObject({ decision: { code: 'USER_INACTIVE' } });

    // the directory API shows users with their groups, and groups
    const users = await call('GET', '/v1/directory/users');
    expect((users.body.items as Json[]).find((u) => u.userName === 'erin@example.com')).toMatchObject({
      active: false,
      groups: expect.arrayContaining([expect.objectContaining({ displayName: 'developers' })]),
    });
    expect(((await call('GET', '/v1/directory/groups')).body.items as Json[]).map((g) => g.displayName)).toEqual(['readers', 'developers', 'helpdesk']);
    expect(readers.status).toBe(201);
  });
});
