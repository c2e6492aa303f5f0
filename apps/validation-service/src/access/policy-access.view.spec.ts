import {
  DEFAULT_POLICY_RULES,
  DirectoryGroupState,
  DirectoryUserState,
  EventEnvelope,
  GROUP_AGGREGATE,
  POLICY_AGGREGATE,
  PolicyRules,
  SYSTEM_ACTOR,
  TokenLookupResult,
  TokenView,
  USER_AGGREGATE,
} from '@latchkey/contracts';
import { decide, DecisionRequest, PresentedCredentials } from '../decision/domain';
import { PolicyAccessView } from './policy-access.view';

const NOW = new Date('2030-01-01T00:00:00.000Z');
const T = '2029-12-01T00:00:00.000Z';

function user(userName: string, version: number, over: Partial<DirectoryUserState> = {}): EventEnvelope {
  const state: DirectoryUserState = {
    id: `id-${userName}`, userName, externalId: null, displayName: userName, name: null, emails: [], active: true,
    kind: 'person', deleted: false, created: T, lastModified: T, version, ...over,
  };
  const type = state.active ? (version === 1 ? 'UserProvisioned' : 'UserReactivated') : 'UserDeactivated';
  return { eventId: `e-${state.id}-${version}`, type, aggregateType: USER_AGGREGATE, aggregateId: state.id, version, occurredAt: T, actor: SYSTEM_ACTOR, data: {}, state } as EventEnvelope;
}

function group(displayName: string, members: string[]): EventEnvelope {
  const state: DirectoryGroupState = {
    id: `gid-${displayName}`, displayName, externalId: null, members: members.map((m) => ({ value: `id-${m}`, display: m })),
    deleted: false, created: T, lastModified: T, version: 1,
  };
  return { eventId: `e-${state.id}`, type: 'GroupCreated', aggregateType: GROUP_AGGREGATE, aggregateId: state.id, version: 1, occurredAt: T, actor: SYSTEM_ACTOR, data: {}, state } as EventEnvelope;
}

function policy(version: number, rules: Partial<PolicyRules>): EventEnvelope {
  return {
    eventId: `p-${version}`, type: 'PolicyChanged', aggregateType: POLICY_AGGREGATE, aggregateId: 'policy', version, occurredAt: T,
    actor: SYSTEM_ACTOR, data: { rules: { ...DEFAULT_POLICY_RULES, ...rules }, diff: [], warnings: [] },
  } as EventEnvelope;
}

function given(...events: EventEnvelope[]): PolicyAccessView {
  const view = new PolicyAccessView();
  for (const e of events) {
    if (e.aggregateType === POLICY_AGGREGATE) view.applyPolicyEvent(e);
    else view.applyDirectoryEvent(e);
  }
  return view;
}

const token = (ownerId: string, over: Partial<TokenView> = {}): TokenLookupResult => ({
  secretGeneration: 1,
  token: {
    id: '0190a000-0000-7000-8000-000000000001', ownerId, createdBy: ownerId, name: 'ci', hint: 'lk_…abcd', scopes: ['write'],
    allowedCidrs: [], status: 'active', createdAt: T, expiresAt: null, revokedAt: null, revokedReason: null, secretGeneration: 1,
    previousSecretValidUntil: null, version: 1, ...over,
  },
});
const bearer: PresentedCredentials = { kind: 'token', token: 'lk_x', via: 'bearer' };
const password = (u: string): PresentedCredentials => ({ kind: 'password', user: u });
const when = (over: Partial<DecisionRequest> = {}): DecisionRequest => ({ credentials: bearer, method: 'GET', path: '/rest/api/2/myself', ip: '10.1.2.3', ...over });

describe(PolicyAccessView.name, () => {
  it('answers USER_INACTIVE once UserDeactivated is applied, and VALID again on the next request after UserReactivated', () => {
    const view = given(user('dora', 1));
    const dora = token('dora');
    expect(decide(when(), dora, NOW, view).code).toBe('VALID');
    view.applyDirectoryEvent(user('dora', 2, { active: false }));
    expect(decide(when(), dora, NOW, view).code).toBe('USER_INACTIVE');
    // by id as well as by userName
    expect(decide(when(), token('id-dora'), NOW, view).code).toBe('USER_INACTIVE');
    view.applyDirectoryEvent(user('dora', 3));
    expect(decide(when(), dora, NOW, view).code).toBe('VALID');
  });

  it('keeps users the directory does not know, and deleted users fail closed', () => {
    const view = given(user('gone', 1), user('gone', 2, { active: false, deleted: true }));
    expect(decide(when(), token('stranger'), NOW, view).code).toBe('VALID');
    expect(decide(when(), token('gone'), NOW, view).code).toBe('USER_INACTIVE');
  });

  it('ignores a redelivered older directory event', () => {
    const view = given(user('dora', 1), user('dora', 2, { active: false }), user('dora', 1));
    expect(view.isUserActive('dora')).toBe(false);
  });

  it('applies the global IPv4 and IPv6 allowlist on top of the token ranges, from the latest policy', () => {
    const view = given(policy(1, { ipAllowlist: ['10.0.0.0/8', '2001:db8::/32'] }));
    expect(decide(when({ ip: '10.9.9.9' }), token('alice'), NOW, view).code).toBe('VALID');
    expect(decide(when({ ip: '2001:db8::7' }), token('alice'), NOW, view).code).toBe('VALID');
    expect(decide(when({ ip: '::ffff:10.1.1.1' }), token('alice'), NOW, view).code).toBe('VALID');
    expect(decide(when({ ip: '192.0.2.1' }), token('alice'), NOW, view).code).toBe('IP_DENIED');
    expect(decide(when({ ip: '2001:db9::1' }), token('alice'), NOW, view).code).toBe('IP_DENIED');
    // the token's own range applies too
    expect(decide(when({ ip: '10.9.9.9' }), token('alice', { allowedCidrs: ['10.1.0.0/16'] }), NOW, view).code).toBe('IP_DENIED');
    view.applyPolicyEvent(policy(2, { ipAllowlist: [] }));
    expect(decide(when({ ip: '192.0.2.1' }), token('alice'), NOW, view).code).toBe('VALID');
    // an older document arriving late changes nothing
    view.applyPolicyEvent(policy(1, { ipAllowlist: ['10.0.0.0/8'] }));
    expect(view.policy.version).toBe(2);
    expect(decide(when({ ip: '192.0.2.1' }), token('alice'), NOW, view).code).toBe('VALID');
  });

  it('passes passwords on while the policy allows them (the default), as PASSWORD with the user', () => {
    expect(decide(when({ credentials: password('alice') }), null, NOW, given())).toMatchObject({ code: 'PASSWORD', userId: 'alice' });
  });

  it('answers BASIC_AUTH_DISABLED for passwords except on the allowed paths, users and groups', () => {
    const view = given(
      user('legacy', 1),
      user('carol', 1),
      group('old-clients', ['carol']),
      policy(1, { basicAuth: { mode: 'disabled', exceptions: { paths: ['/rest/legacy/**'], users: ['bot-user'], groups: ['old-clients'] } } }),
    );
    const code = (u: string, path: string) => decide(when({ credentials: password(u), path }), null, NOW, view).code;
    expect(code('alice', '/rest/api/2/myself')).toBe('BASIC_AUTH_DISABLED');
    expect(code('alice', '/rest/legacy/x')).toBe('PASSWORD');
    expect(code('bot-user', '/rest/api/2/myself')).toBe('PASSWORD');
    expect(code('carol', '/rest/api/2/myself')).toBe('PASSWORD');
    expect(code('legacy', '/rest/api/2/myself')).toBe('BASIC_AUTH_DISABLED');
  });

  it('refuses passwords of deactivated users, from outside the allowlist, and of service accounts, as the engine decides', () => {
    const view = given(user('dora', 1), user('dora', 2, { active: false }), user('svc', 1, { kind: 'serviceAccount' }), policy(1, { ipAllowlist: ['10.0.0.0/8'] }));
    const code = (u: string, ip = '10.1.1.1') => decide(when({ credentials: password(u), ip }), null, NOW, view).code;
    expect(code('dora')).toBe('USER_INACTIVE');
    expect(code('alice', '192.0.2.1')).toBe('IP_DENIED');
    expect(code('svc')).toBe('NOT_PERMITTED');
    expect(code('alice')).toBe('PASSWORD');
  });
});
