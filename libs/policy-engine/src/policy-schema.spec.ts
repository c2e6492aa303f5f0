import { DEFAULT_POLICY_RULES, EMPTY_POLICY, POLICY_AGGREGATE, SYSTEM_ACTOR } from '@latchkey/contracts';
import { currentPolicy } from './policy-evolve';
import { diffPolicy, parsePolicyRules, policyWarnings } from './policy-schema';
import { aGroup, givenDirectory } from './test-fixtures';

describe(parsePolicyRules.name, () => {
  it('fills missing sections with the defaults', () => {
    expect(parsePolicyRules({})).toEqual({ ok: true, rules: DEFAULT_POLICY_RULES });
  });

  it('normalises the CIDRs of a valid document', () => {
    const r = parsePolicyRules({ ipAllowlist: ['10.1.2.3/8', '2001:DB8::/32'] });
    expect(r.ok && r.rules.ipAllowlist).toEqual(['10.0.0.0/8', '2001:db8::/32']);
  });

  it.each([
    [{ colour: 'blue' }, "Unrecognized key(s) in object: 'colour'"],
    [{ lifetime: { maxDays: 0 } }, 'rules.lifetime.maxDays'],
    [{ selfService: [{ name: 'x', everyone: true, maxScope: 'root' }] }, 'rules.selfService.0.maxScope'],
    [{ selfService: [{ name: 'x', maxScope: 'read' }] }, 'names no one'],
    [{ selfService: [{ name: 'x', everyone: true, maxScope: 'read' }, { name: 'x', everyone: true, maxScope: 'read' }] }, 'is used twice'],
    [{ ipAllowlist: ['10.0.0.0/8', '10.2.0.0/16'] }, 'overlaps'],
    [{ ipAllowlist: ['10.0.0.0/40'] }, 'prefix length'],
    [{ basicAuth: { mode: 'disabled', exceptions: { paths: ['rest/api'] } } }, 'must start with "/"'],
    [{ basicAuth: { mode: 'sometimes' } }, 'rules.basicAuth.mode'],
    [{ deactivation: 'deleted' }, 'rules.deactivation'],
    [[1, 2], 'rules: Expected object'],
  ])('rejects %j', (input, message) => {
    const r = parsePolicyRules(input);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors.join('\n')).toContain(message);
  });
});

describe(policyWarnings.name, () => {
  it('warns about groups and users the directory does not know (accepted, documented)', () => {
    const r = parsePolicyRules({ selfService: [{ name: 'devs', groups: ['devs', 'ghosts'], users: ['nobody'], maxScope: 'write' }] });
    if (!r.ok) throw new Error(r.errors.join());
    const warnings = policyWarnings(r.rules, givenDirectory([], [aGroup('devs'), aGroup('latchkey-admins')]));
    expect(warnings.map((w) => w.path)).toEqual(['selfService.0.groups.1', 'selfService.0.users.0']);
  });
});

describe(diffPolicy.name, () => {
  it('lists the changed leaves', () => {
    const after = { ...DEFAULT_POLICY_RULES, lifetime: { maxDays: 90, expiryRequired: true }, deactivation: 'revoked' as const };
    expect(diffPolicy(DEFAULT_POLICY_RULES, after)).toEqual([
      { path: 'deactivation', before: 'blocked', after: 'revoked' },
      { path: 'lifetime.expiryRequired', before: false, after: true },
      { path: 'lifetime.maxDays', before: null, after: 90 },
    ]);
  });
});

describe(currentPolicy.name, () => {
  const ev = (version: number, data: unknown) => ({
    eventId: `e${version}`,
    type: 'PolicyChanged',
    aggregateType: POLICY_AGGREGATE,
    aggregateId: 'policy',
    version,
    occurredAt: '2025-01-01T00:00:00.000Z',
    actor: SYSTEM_ACTOR,
    data,
  });

  it('is the defaults at version 0 without events, and the latest document otherwise', () => {
    expect(currentPolicy([])).toEqual(EMPTY_POLICY);
    const doc = currentPolicy([ev(1, { rules: { deactivation: 'revoked' } }), ev(2, { rules: { maxTokensPerUser: 5 } })]);
    expect(doc).toEqual({ version: 2, rules: { ...DEFAULT_POLICY_RULES, maxTokensPerUser: 5 } });
  });

  it('ignores redelivered older events', () => {
    const events = [ev(1, { rules: { deactivation: 'revoked' } }), ev(2, { rules: { maxTokensPerUser: 5 } })];
    expect(currentPolicy([...events, events[0]])).toEqual(currentPolicy(events));
  });
});
