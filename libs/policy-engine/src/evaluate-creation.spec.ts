import fc from 'fast-check';
import { DEFAULT_POLICY_RULES, PolicyRules, Scope } from '@latchkey/contracts';
import { evaluateCreation } from './evaluate-creation';
import { aGroup, aUser, givenDirectory, groupEvent } from './test-fixtures';

const rules = (over: Partial<PolicyRules>): PolicyRules => ({ ...DEFAULT_POLICY_RULES, ...over });

describe(evaluateCreation.name, () => {
  const alice = aUser('alice');
  const bob = aUser('bob');
  const carol = aUser('carol');
  const ci = aUser('ci-bot', { kind: 'serviceAccount' });
  const admin = aUser('root');

  describe('with the default policy', () => {
    const dir = givenDirectory([alice, admin], [aGroup('latchkey-admins', [admin])]);

    it('lets anyone create read and write tokens for themselves', () => {
      const d = evaluateCreation(DEFAULT_POLICY_RULES, dir, { actor: 'alice', scopes: ['read', 'write'], lifetimeDays: 30 });
      expect(d).toMatchObject({ allowed: true, code: 'ALLOWED', rule: 'selfService[everyone]', maxScope: 'write' });
    });

    it('refuses the admin scope to non-admins, naming the rule', () => {
      const d = evaluateCreation(DEFAULT_POLICY_RULES, dir, { actor: 'alice', scopes: ['admin'], lifetimeDays: null });
      expect(d).toMatchObject({ allowed: false, code: 'SCOPE_NOT_ALLOWED', rule: 'selfService[everyone]' });
    });

    it('lets members of the admin group do everything, for anyone', () => {
      const d = evaluateCreation(DEFAULT_POLICY_RULES, dir, { actor: 'root', ownerId: 'alice', scopes: ['admin'], lifetimeDays: null });
      expect(d).toMatchObject({ allowed: true, rule: 'adminGroup' });
    });

    it('counts an admin credential as an administrator', () => {
      const d = evaluateCreation(DEFAULT_POLICY_RULES, dir, { actor: 'bootstrap', actorIsAdmin: true, ownerId: 'alice', scopes: ['write'], lifetimeDays: 1 });
      expect(d).toMatchObject({ allowed: true, rule: 'adminGroup' });
    });

    it('does not let a non-admin create tokens for others', () => {
      const d = evaluateCreation(DEFAULT_POLICY_RULES, dir, { actor: 'alice', ownerId: 'root', scopes: ['read'], lifetimeDays: 1 });
      expect(d).toMatchObject({ allowed: false, code: 'NOT_ON_BEHALF', rule: 'onBehalfOf' });
    });

    it('treats ownerId = the actor (by id or userName) as self-service', () => {
      expect(evaluateCreation(DEFAULT_POLICY_RULES, dir, { actor: 'alice', ownerId: alice.id, scopes: ['read'], lifetimeDays: 1 }).rule).toBe('selfService[everyone]');
      expect(evaluateCreation(DEFAULT_POLICY_RULES, dir, { actor: 'ALICE', ownerId: 'alice', scopes: ['read'], lifetimeDays: 1 }).allowed).toBe(true);
    });
  });

  describe('with group rules', () => {
    const policy = rules({
      selfService: [
        { name: 'developers', groups: ['developers'], maxScope: 'write' },
        { name: 'readers', groups: ['readers'], maxScope: 'read' },
      ],
      onBehalfOf: [{ name: 'helpdesk', groups: ['helpdesk'], targets: { groups: ['developers'], serviceAccounts: true }, maxScope: 'read' }],
    });

    it('refuses a user outside every allowed group', () => {
      const dir = givenDirectory([alice]);
      expect(evaluateCreation(policy, dir, { actor: 'alice', scopes: ['read'], lifetimeDays: 1 })).toMatchObject({ allowed: false, code: 'NO_RULE', rule: 'selfService' });
    });

    it('lets them once a MemberAdded event lands', () => {
      const dir = givenDirectory([alice], [aGroup('developers')]);
      dir.apply(groupEvent('MemberAdded', aGroup('developers', [alice], { version: 2 })));
      expect(evaluateCreation(policy, dir, { actor: 'alice', scopes: ['write'], lifetimeDays: 1 })).toMatchObject({ allowed: true, rule: 'selfService[developers]' });
    });

    it('tells a read-only group member that write is not allowed', () => {
      const dir = givenDirectory([bob], [aGroup('readers', [bob])]);
      const d = evaluateCreation(policy, dir, { actor: 'bob', scopes: ['write'], lifetimeDays: 1 });
      expect(d).toMatchObject({ allowed: false, code: 'SCOPE_NOT_ALLOWED', rule: 'selfService[readers]', maxScope: 'read' });
      expect(d.reason).toContain('write');
    });

    it('takes groups from the credential (OIDC claim) as well as the directory', () => {
      const dir = givenDirectory([alice]);
      expect(evaluateCreation(policy, dir, { actor: 'alice', actorGroups: ['developers'], scopes: ['write'], lifetimeDays: 1 }).allowed).toBe(true);
    });

    it('resolves a rule naming a group by id as well as by name', () => {
      const dir = givenDirectory([alice], [aGroup('developers', [alice])]);
      const byId = rules({ selfService: [{ name: 'devs', groups: ['gid-developers'], maxScope: 'read' }] });
      expect(evaluateCreation(byId, dir, { actor: 'alice', scopes: ['read'], lifetimeDays: 1 }).allowed).toBe(true);
    });

    it('allows on-behalf-of only for the configured groups and targets', () => {
      const dir = givenDirectory([alice, bob, carol, ci], [aGroup('helpdesk', [carol]), aGroup('developers', [alice])]);
      expect(evaluateCreation(policy, dir, { actor: 'carol', ownerId: 'alice', scopes: ['read'], lifetimeDays: 1 })).toMatchObject({ allowed: true, rule: 'onBehalfOf[helpdesk]' });
      expect(evaluateCreation(policy, dir, { actor: 'carol', ownerId: 'ci-bot', scopes: ['read'], lifetimeDays: 1 }).allowed).toBe(true);
      expect(evaluateCreation(policy, dir, { actor: 'carol', ownerId: 'bob', scopes: ['read'], lifetimeDays: 1 })).toMatchObject({ allowed: false, code: 'NOT_ON_BEHALF' });
      expect(evaluateCreation(policy, dir, { actor: 'bob', ownerId: 'alice', scopes: ['read'], lifetimeDays: 1 })).toMatchObject({ allowed: false, code: 'NOT_ON_BEHALF' });
      expect(evaluateCreation(policy, dir, { actor: 'carol', ownerId: 'alice', scopes: ['write'], lifetimeDays: 1 })).toMatchObject({ allowed: false, code: 'SCOPE_NOT_ALLOWED', rule: 'onBehalfOf[helpdesk]' });
    });
  });

  describe('directory state', () => {
    it('refuses a deactivated actor and a deactivated owner, even for admins', () => {
      const gone = aUser('gone', { active: false });
      const dir = givenDirectory([gone, admin], [aGroup('latchkey-admins', [admin])]);
      expect(evaluateCreation(DEFAULT_POLICY_RULES, dir, { actor: 'gone', scopes: ['read'], lifetimeDays: 1 })).toMatchObject({ code: 'ACTOR_INACTIVE' });
      expect(evaluateCreation(DEFAULT_POLICY_RULES, dir, { actor: 'root', ownerId: 'gone', scopes: ['read'], lifetimeDays: 1 })).toMatchObject({ code: 'OWNER_INACTIVE' });
    });
  });

  describe('lifetime and count', () => {
    const dir = givenDirectory([alice]);

    it('requires an expiry when a maximum lifetime is set, and caps it', () => {
      const p = rules({ lifetime: { maxDays: 90, expiryRequired: false } });
      expect(evaluateCreation(p, dir, { actor: 'alice', scopes: ['read'], lifetimeDays: null })).toMatchObject({ code: 'EXPIRY_REQUIRED', rule: 'lifetime.maxDays' });
      expect(evaluateCreation(p, dir, { actor: 'alice', scopes: ['read'], lifetimeDays: 91 })).toMatchObject({ code: 'LIFETIME_TOO_LONG', rule: 'lifetime.maxDays' });
      expect(evaluateCreation(p, dir, { actor: 'alice', scopes: ['read'], lifetimeDays: 90 }).allowed).toBe(true);
    });

    it('requires an expiry when told to', () => {
      const p = rules({ lifetime: { maxDays: null, expiryRequired: true } });
      expect(evaluateCreation(p, dir, { actor: 'alice', scopes: ['read'], lifetimeDays: null })).toMatchObject({ code: 'EXPIRY_REQUIRED', rule: 'lifetime.expiryRequired' });
    });

    it('caps active tokens per owner', () => {
      const p = rules({ maxTokensPerUser: 2 });
      expect(evaluateCreation(p, dir, { actor: 'alice', scopes: ['read'], lifetimeDays: 1, ownerActiveTokens: 1 }).allowed).toBe(true);
      expect(evaluateCreation(p, dir, { actor: 'alice', scopes: ['read'], lifetimeDays: 1, ownerActiveTokens: 2 })).toMatchObject({ code: 'TOO_MANY_TOKENS' });
    });

    it('rejects an empty scope list or a non-positive lifetime as invalid', () => {
      expect(evaluateCreation(DEFAULT_POLICY_RULES, dir, { actor: 'alice', scopes: [], lifetimeDays: 1 }).code).toBe('INVALID_REQUEST');
      expect(evaluateCreation(DEFAULT_POLICY_RULES, dir, { actor: 'alice', scopes: ['read'], lifetimeDays: 0 }).code).toBe('INVALID_REQUEST');
    });
  });

  describe('properties', () => {
    const scope = fc.constantFrom<Scope>('read', 'write', 'admin');
    const maxScope = fc.constantFrom<Scope>('read', 'write', 'admin');

    it('never allows more than the deciding rule grants, and always names a rule', () => {
      fc.assert(
        fc.property(fc.array(scope, { minLength: 1, maxLength: 3 }), maxScope, fc.option(fc.integer({ min: 1, max: 400 })), (scopes, max, days) => {
          const p = rules({ selfService: [{ name: 'r', everyone: true, maxScope: max }] });
          const d = evaluateCreation(p, givenDirectory([alice]), { actor: 'alice', scopes, lifetimeDays: days });
          expect(d.rule.length).toBeGreaterThan(0);
          const rank = { read: 1, write: 2, admin: 3 };
          expect(d.allowed).toBe(Math.max(...scopes.map((s) => rank[s])) <= rank[max]);
        }),
      );
    });

    it('is monotonic in lifetime: if a lifetime is allowed, every shorter one is too', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 1000 }), (max, a, b) => {
          const p = rules({ lifetime: { maxDays: max, expiryRequired: false } });
          const dir = givenDirectory([alice]);
          const [short, long] = a <= b ? [a, b] : [b, a];
          if (evaluateCreation(p, dir, { actor: 'alice', scopes: ['read'], lifetimeDays: long }).allowed) {
            expect(evaluateCreation(p, dir, { actor: 'alice', scopes: ['read'], lifetimeDays: short }).allowed).toBe(true);
          }
        }),
      );
    });
  });
});
