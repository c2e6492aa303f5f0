import { Kafka, logLevel } from 'kafkajs';
import { Topics, topicName } from '@latchkey/contracts';
import { infraDefaults, ServiceProcess, startSystem, System, SYSTEM_SCIM_TOKEN, waitFor } from '@latchkey/testing';

/**
 * SCIM conformance, scripted: the request sequences Okta's and Entra ID's provisioning agents send
 * (bodies as their documentation shows them), against the real built policy-service (in a whole system: its
 * management API authenticates through token-service).
 */
const SCIM_TOKEN = SYSTEM_SCIM_TOKEN;
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

type Json = Record<string, unknown>;

describe('SCIM 2.0 provisioning as Okta and Entra ID do it', () => {
  let system: System;
  let policy: ServiceProcess;
  const events: Json[] = [];
  let kafka: Kafka;
  let consumer: ReturnType<Kafka['consumer']>;

  async function scim(method: string, path: string, body?: unknown, raw?: string): Promise<{ status: number; type: string | null; body: Json }> {
    const res = await policy.fetch(`/scim/v2${path}`, {
      method,
      headers: { authorization: `Bearer ${SCIM_TOKEN}`, ...(body !== undefined || raw !== undefined ? { 'content-type': 'application/scim+json' } : {}) },
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type'), body: text ? (JSON.parse(text) as Json) : {} };
  }
  const q = (filter: string, extra = '') => `?filter=${encodeURIComponent(filter)}${extra}`;
  const directoryEvents = (aggregateId: string) => events.filter((e) => e.aggregateId === aggregateId).map((e) => e.type);

  beforeAll(async () => {
    system = await startSystem({ policy: true, policyEnv: { LATCHKEY_OUTBOX_POLL_MS: '100' } });
    policy = system.policy!;
    const namespace = system.namespace;
    kafka = new Kafka({ clientId: namespace, brokers: infraDefaults.kafkaBrokers, logLevel: logLevel.NOTHING });
    consumer = kafka.consumer({ groupId: `${namespace}-reader`, sessionTimeout: 6000, heartbeatInterval: 1000 });
    await consumer.connect();
    await consumer.subscribe({ topic: topicName(Topics.directory, namespace), fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void events.push(JSON.parse(message.value!.toString()) as Json) });
  }, 120_000);

  afterAll(async () => {
    await consumer?.disconnect().catch(() => undefined);
    await system?.stop();
  }, 60_000);

  it('Okta: look up, create, read, update, deactivate a user; push a group and its members', async () => {
    // 1. Okta checks whether the user exists
    const lookup = await scim('GET', `/Users${q('userName eq "dana@example.com"', '&startIndex=1&count=100')}`);
    expect(lookup).toMatchObject({ status: 200, body: { totalResults: 0, Resources: [] } });
    expect(lookup.type).toContain('application/scim+json');

    // 2. create (Okta sends password and locale; neither is stored, neither is an error)
    const created = await scim('POST', '/Users', {
      schemas: [USER],
      userName: 'dana@example.com',
      name: { givenName: 'Dana', familyName: 'Scully' },
      emails: [{ primary: true, value: 'dana@example.com', type: 'work' }],
      displayName: 'Dana Scully',
      locale: 'en-US',
      externalId: '00u1abcd',
      groups: [],
      password: '1mP0ssible!',
      active: true,
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({ userName: 'dana@example.com', active: true, meta: { resourceType: 'User', location: expect.stringContaining(`/Users/${id}`) } });
    expect(created.body).not.toHaveProperty('password');

    // 3. read back, by id and by filter
    expect((await scim('GET', `/Users/${id}`)).body).toMatchObject({ id, externalId: '00u1abcd' });
    expect((await scim('GET', `/Users${q('userName eq "DANA@example.com"')}`)).body).toMatchObject({ totalResults: 1, Resources: [{ id }] });

    // 4. profile update with PUT (whole resource)
    const put = await scim('PUT', `/Users/${id}`, { ...created.body, name: { givenName: 'Dana', familyName: 'Mulder' }, displayName: 'Dana Mulder' });
    expect(put).toMatchObject({ status: 200, body: { displayName: 'Dana Mulder', active: true } });

    // 5. deactivation: PATCH replace without path
    const deactivated = await scim('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] });
    expect(deactivated).toMatchObject({ status: 200, body: { active: false } });
    expect((await scim('GET', `/Users${q('active eq false')}`)).body).toMatchObject({ totalResults: 1 });

    // 6. reactivation
    expect((await scim('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: true } }] })).body.active).toBe(true);

    // 7. group push: create, rename, add and remove members, delete
    const group = await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'jira-developers', members: [] });
    expect(group.status).toBe(201);
    const gid = group.body.id as string;
    const renamed = await scim('PATCH', `/Groups/${gid}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { id: gid, displayName: 'jira-devs' } }] });
    expect(renamed.body.displayName).toBe('jira-devs');
    const added = await scim('PATCH', `/Groups/${gid}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: id, display: 'dana@example.com' }] }] });
    expect(added.body.members).toEqual([expect.objectContaining({ value: id, display: 'dana@example.com' })]);
    expect((await scim('GET', `/Users/${id}`)).body.groups).toEqual([expect.objectContaining({ value: gid, display: 'jira-devs' })]);
    const removed = await scim('PATCH', `/Groups/${gid}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${id}"]` }] });
    expect(removed.body.members).toEqual([]);
    expect((await scim('DELETE', `/Groups/${gid}`)).status).toBe(204);
    expect((await scim('GET', `/Groups/${gid}`)).status).toBe(404);

    // every change is on the directory topic, in order, with the full state
    await waitFor(async () => directoryEvents(gid).length === 5, { timeoutMs: 15_000, what: 'group events on Kafka' });
    expect(directoryEvents(id)).toEqual(['UserProvisioned', 'UserUpdated', 'UserDeactivated', 'UserReactivated']);
    expect(directoryEvents(gid)).toEqual(['GroupCreated', 'GroupUpdated', 'MemberAdded', 'MemberRemoved', 'GroupDeleted']);
    const deactivation = events.find((e) => e.aggregateId === id && e.type === 'UserDeactivated')!;
    expect(deactivation).toMatchObject({ actor: { userId: 'scim', via: 'scim' }, data: { tokens: 'blocked', deleted: false }, state: { id, active: false, version: 3 } });
  });

  it('Entra ID: enterprise extension, capitalised ops, "False" strings, member add/remove by value list, delete', async () => {
    // Entra's first probe: a user that does not exist
    expect((await scim('GET', `/Users${q('userName eq "non-existent-user-7f3c"')}`)).body).toMatchObject({ totalResults: 0 });
    expect((await scim('GET', '/Users/00000000-0000-0000-0000-000000000000')).status).toBe(404);

    const created = await scim('POST', '/Users', {
      schemas: [USER, ENTERPRISE],
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName: 'Test_User_ab6490ee@contoso.com',
      active: true,
      addresses: [{ primary: true, type: 'work', streetAddress: '1 Main St', locality: 'Redmond', region: 'WA', postalCode: '98052', country: 'US' }],
      displayName: 'Test User',
      emails: [{ primary: true, type: 'work', value: 'Test_User_ab6490ee@contoso.com' }],
      meta: { resourceType: 'User' },
      name: { formatted: 'Test User', familyName: 'User', givenName: 'Test' },
      phoneNumbers: [{ primary: true, type: 'work', value: '123-456-7890' }],
      roles: [],
      title: 'Engineer',
      [ENTERPRISE]: { department: 'R&D', manager: { value: 'boss-id' } },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;

    // duplicate create -> 409 uniqueness
    const dup = await scim('POST', '/Users', { schemas: [USER], userName: 'test_user_AB6490EE@contoso.com', active: true });
    expect(dup).toMatchObject({ status: 409, body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '409', scimType: 'uniqueness' } });

    // attribute updates the way Entra sends them
    const updated = await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Replace', path: 'displayName', value: 'Test User 2' },
        { op: 'Add', path: 'emails[type eq "work"].value', value: 'updated@contoso.com' },
        { op: 'Replace', path: `${ENTERPRISE}:department`, value: 'Sales' },
        { op: 'Replace', path: 'name.familyName', value: 'User2' },
      ],
    });
    expect(updated).toMatchObject({ status: 200, body: { displayName: 'Test User 2', emails: [{ value: 'updated@contoso.com', type: 'work', primary: true }], name: { familyName: 'User2' } } });

    // disable: "Replace" with the string "False"
    const disabled = await scim('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
    expect(disabled).toMatchObject({ status: 200, body: { active: false } });

    // groups: Entra looks them up without members, creates, then adds/removes members with value lists
    expect((await scim('GET', `/Groups${q('displayName eq "Sales Team"', '&excludedAttributes=members')}`)).body).toMatchObject({ totalResults: 0 });
    const other = await scim('POST', '/Users', { schemas: [USER], userName: 'second@contoso.com', active: true });
    const group = await scim('POST', '/Groups', { schemas: [GROUP], externalId: 'e1d2', displayName: 'Sales Team', members: [], meta: { resourceType: 'Group' } });
    const gid = group.body.id as string;
    await scim('PATCH', `/Groups/${gid}`, { schemas: [PATCH_OP], Operations: [{ op: 'Add', path: 'members', value: [{ value: id }, { value: other.body.id }] }] });
    const withoutMembers = await scim('GET', `/Groups${q('displayName eq "sales team"', '&excludedAttributes=members')}`);
    expect(withoutMembers.body).toMatchObject({ totalResults: 1, Resources: [{ id: gid, displayName: 'Sales Team' }] });
    expect((withoutMembers.body.Resources as Json[])[0]).not.toHaveProperty('members');
    const afterRemove = await scim('PATCH', `/Groups/${gid}`, { schemas: [PATCH_OP], Operations: [{ op: 'Remove', path: 'members', value: [{ value: id }] }] });
    expect(afterRemove.body.members).toEqual([expect.objectContaining({ value: other.body.id })]);

    // delete: 204, then gone for SCIM; the directory keeps a deactivated, deleted record
    expect((await scim('DELETE', `/Users/${id}`)).status).toBe(204);
    expect((await scim('GET', `/Users/${id}`)).status).toBe(404);
    await waitFor(async () => directoryEvents(id).length === 4, { timeoutMs: 15_000, what: 'user events on Kafka' });
    expect(directoryEvents(id)).toEqual(['UserProvisioned', 'UserUpdated', 'UserDeactivated', 'UserDeactivated']);
    expect(events.filter((e) => e.aggregateId === id).pop()).toMatchObject({ data: { deleted: true }, state: { deleted: true, active: false } });
  });

  it('pages with startIndex and count, and describes itself', async () => {
    for (let i = 0; i < 5; i++) await scim('POST', '/Users', { schemas: [USER], userName: `pager-${i}@example.com` });
    const page = await scim('GET', `/Users${q('userName sw "pager-"', '&startIndex=2&count=2')}`);
    expect(page.body).toMatchObject({ totalResults: 5, startIndex: 2, itemsPerPage: 2 });
    expect((page.body.Resources as Json[]).map((r) => r.userName)).toEqual(['pager-1@example.com', 'pager-2@example.com']);
    const combined = await scim('GET', `/Users${q('(userName eq "pager-0@example.com" or userName co "-4@") and active eq true')}`);
    expect(combined.body.totalResults).toBe(2);

    const spc = await scim('GET', '/ServiceProviderConfig');
    expect(spc).toMatchObject({ status: 200, body: { patch: { supported: true }, filter: { supported: true }, bulk: { supported: false } } });
    expect((await scim('GET', '/ResourceTypes')).body).toMatchObject({ totalResults: 2 });
    expect((await scim('GET', '/Schemas')).body).toMatchObject({ totalResults: 3 });
    expect((await scim('GET', `/Schemas/${USER}`)).body).toMatchObject({ id: USER, name: 'User' });
  });

  describe('bad input: a clear SCIM error, nothing changed', () => {
    const errorOf = (r: { status: number; body: Json; type: string | null }) => ({ status: r.status, scimType: r.body.scimType, json: r.type });

    it('refuses a missing or wrong bearer token', async () => {
      const res = await policy.fetch('/scim/v2/Users', { headers: { authorization: 'Bearer nope' } });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '401' });
      // SCIM is the IdP's door only: even an administrator's Latchkey token does not open it
      expect((await policy.fetch('/scim/v2/Users', { headers: { authorization: `Bearer ${system.bootstrapToken()}` } })).status).toBe(401);
    });

    it.each([
      'userName eq',
      'userName eq dana',
      'title eq "x"',
      'userName eq "a" and',
      '((userName eq "a")',
      'emails[type eq "work"].value eq "x"',
    ])('answers invalidFilter to filter=%j', async (filter) => {
      expect(errorOf(await scim('GET', `/Users${q(filter)}`))).toEqual({ status: 400, scimType: 'invalidFilter', json: expect.stringContaining('application/scim+json') });
    });

    it('answers 400 to malformed JSON', async () => {
      const res = await scim('POST', '/Users', undefined, '{"userName": "broken"');
      expect(res.status).toBe(400);
    });

    it('answers invalidSyntax to unknown attributes and schemas, invalidValue to a missing userName', async () => {
      expect(errorOf(await scim('POST', '/Users', { schemas: [USER], userName: 'x@example.com', shoeSize: 42 }))).toMatchObject({ status: 400, scimType: 'invalidSyntax' });
      expect(errorOf(await scim('POST', '/Users', { schemas: ['urn:example:custom'], userName: 'x@example.com' }))).toMatchObject({ status: 400, scimType: 'invalidValue' });
      expect(errorOf(await scim('POST', '/Users', { schemas: [USER], displayName: 'no name' }))).toMatchObject({ status: 400, scimType: 'invalidValue' });
      expect((await scim('GET', `/Users${q('userName eq "x@example.com"')}`)).body.totalResults).toBe(0);
    });

    it('answers invalidPath to PATCH paths that do not exist, and changes nothing', async () => {
      const user = await scim('POST', '/Users', { schemas: [USER], userName: 'patchy@example.com', displayName: 'Patchy' });
      const res = await scim('PATCH', `/Users/${user.body.id}`, {
        schemas: [PATCH_OP],
        Operations: [
          { op: 'replace', path: 'displayName', value: 'Changed' },
          { op: 'replace', path: 'favouriteColour', value: 'blue' },
        ],
      });
      expect(errorOf(res)).toMatchObject({ status: 400, scimType: 'invalidPath' });
      expect((await scim('GET', `/Users/${user.body.id}`)).body.displayName).toBe('Patchy');
    });

    it('answers invalidValue to groups with unknown members, and creates nothing', async () => {
      const res = await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'ghosts', members: [{ value: 'no-such-user' }] });
      expect(errorOf(res)).toMatchObject({ status: 400, scimType: 'invalidValue' });
      expect((await scim('GET', `/Groups${q('displayName eq "ghosts"')}`)).body.totalResults).toBe(0);
      const g = await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'real' });
      const add = await scim('PATCH', `/Groups/${g.body.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: 'no-such-user' }] }] });
      expect(errorOf(add)).toMatchObject({ status: 400, scimType: 'invalidValue' });
    });

    it('answers 404 for unknown resources and a bad count with 400', async () => {
      expect((await scim('PATCH', '/Groups/nope', { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [] }] })).status).toBe(404);
      expect((await scim('DELETE', '/Users/nope')).status).toBe(404);
      expect(errorOf(await scim('GET', '/Users?count=abc'))).toMatchObject({ status: 400, scimType: 'invalidValue' });
    });
  });
});
