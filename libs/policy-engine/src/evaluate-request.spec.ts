import { DEFAULT_POLICY_RULES, PolicyRules } from '@latchkey/contracts';
import { evaluateRequest, RequestFacts, userFacts } from './evaluate-request';
import { aGroup, aUser, givenDirectory, userEvent } from './test-fixtures';

const rules = (over: Partial<PolicyRules>): PolicyRules => ({ ...DEFAULT_POLICY_RULES, ...over });
const facts = (over: Partial<RequestFacts> = {}): RequestFacts => ({
  userId: 'alice',
  userActive: true,
  userGroups: [],
  ip: '10.1.2.3',
  method: 'GET',
  path: '/rest/api/2/myself',
  credential: 'token',
  ...over,
});

describe(evaluateRequest.name, () => {
  it('lets a token through under the default policy', () => {
    expect(evaluateRequest(DEFAULT_POLICY_RULES, facts())).toEqual({ allowed: true, code: 'OK', rule: 'default' });
  });

  it('answers USER_INACTIVE for a deactivated user, before anything else', () => {
    expect(evaluateRequest(rules({ ipAllowlist: ['192.0.2.0/24'] }), facts({ userActive: false }))).toMatchObject({ code: 'USER_INACTIVE', rule: 'directory.active' });
  });

  it('treats a user unknown to the directory (userActive null) as not deactivated', () => {
    expect(evaluateRequest(DEFAULT_POLICY_RULES, facts({ userActive: null })).code).toBe('OK');
  });

  describe('global IP allowlist', () => {
    const p = rules({ ipAllowlist: ['10.0.0.0/8', '2001:db8::/32'] });

    it.each([
      ['10.200.0.1', true],
      ['11.0.0.1', false],
      ['2001:db8:1::5', true],
      ['2001:db9::1', false],
      ['::ffff:10.0.0.7', true],
      ['[2001:db8::1]', true],
      ['not-an-ip', false],
      ['010.0.0.1', false],
    ])('%s -> allowed %s', (ip, allowed) => {
      const d = evaluateRequest(p, facts({ ip }));
      expect(d.allowed).toBe(allowed);
      if (!allowed) expect(d).toMatchObject({ code: 'IP_DENIED', rule: 'ipAllowlist' });
    });

    it('applies to passwords too', () => {
      expect(evaluateRequest(p, facts({ ip: '192.0.2.1', credential: 'password' })).code).toBe('IP_DENIED');
    });
  });

  describe('basic auth with a password', () => {
    const disabled = rules({
      basicAuth: { mode: 'disabled', exceptions: { paths: ['/rest/api/2/serverInfo', '/plugins/**/status', '/status/*.json'], users: ['legacy-sync'], groups: ['old-clients'] } },
    });

    it('passes the password on when basic auth is allowed', () => {
      expect(evaluateRequest(DEFAULT_POLICY_RULES, facts({ credential: 'password' }))).toEqual({ allowed: true, code: 'PASSWORD', rule: 'basicAuth.mode' });
    });

    it('refuses it when disabled', () => {
      expect(evaluateRequest(disabled, facts({ credential: 'password' }))).toEqual({ allowed: false, code: 'BASIC_AUTH_DISABLED', rule: 'basicAuth.mode' });
    });

    it.each([
      ['/rest/api/2/serverInfo', 'basicAuth.exceptions.paths[0]'],
      ['/rest/api/2/serverInfo?x=1', 'basicAuth.exceptions.paths[0]'],
      ['/plugins/a/b/status', 'basicAuth.exceptions.paths[1]'],
      ['/status/health.json', 'basicAuth.exceptions.paths[2]'],
    ])('allows it on the exception path %s', (path, rule) => {
      expect(evaluateRequest(disabled, facts({ credential: 'password', path }))).toEqual({ allowed: true, code: 'PASSWORD', rule });
    });

    it.each(['/rest/api/2/serverInfo/../../../secure/admin', '/status/a/b.json', '/rest/api/2/%2e%2e/%2e%2e/%2e%2e/secure', '/rest/%zz'])(
      'does not let %s through an exception',
      (path) => {
        expect(evaluateRequest(disabled, facts({ credential: 'password', path })).code).toBe('BASIC_AUTH_DISABLED');
      },
    );

    it('allows it for exception users (case-insensitively) and groups', () => {
      expect(evaluateRequest(disabled, facts({ credential: 'password', userId: 'Legacy-Sync' })).rule).toBe('basicAuth.exceptions.users');
      expect(evaluateRequest(disabled, facts({ credential: 'password', userGroups: ['old-clients'] })).rule).toBe('basicAuth.exceptions.groups');
    });

    it('answers NOT_PERMITTED for a service account, which has no password', () => {
      expect(evaluateRequest(DEFAULT_POLICY_RULES, facts({ credential: 'password', userKind: 'serviceAccount' }))).toMatchObject({ code: 'NOT_PERMITTED' });
    });

    it('does not affect tokens', () => {
      expect(evaluateRequest(disabled, facts()).code).toBe('OK');
    });
  });

  describe(userFacts.name, () => {
    it('reads activity, kind and groups from the directory, by userName or id', () => {
      const alice = aUser('alice');
      const dir = givenDirectory([alice], [aGroup('devs', [alice])]);
      expect(userFacts(dir, 'alice')).toEqual({ userId: 'alice', userActive: true, userGroups: ['gid-devs', 'devs'], userKind: 'person' });
      dir.apply(userEvent('UserDeactivated', { ...alice, active: false, version: 2 }));
      expect(userFacts(dir, alice.id).userActive).toBe(false);
      expect(userFacts(dir, 'nobody')).toEqual({ userId: 'nobody', userActive: null, userGroups: [] });
    });
  });
});
