import { FilterAttributes, matchesFilter, parseFilter } from './scim-filter';
import { ScimError } from './scim.error';

const attrs: FilterAttributes = {
  username: { path: 'userName', caseExact: false },
  displayname: { path: 'displayName', caseExact: false },
  externalid: { path: 'externalId', caseExact: true },
  active: { path: 'active', caseExact: false },
  emails: { path: 'emails', caseExact: false },
  'emails.value': { path: 'emails.value', caseExact: false },
};
const alice = { userName: 'Alice@Example.com', displayName: 'Alice Liddell', externalId: 'ext-1', active: true, emails: [{ value: 'alice@example.com', type: 'work' }] };
const matches = (f: string) => matchesFilter(alice, parseFilter(f, attrs), attrs);

describe(parseFilter.name, () => {
  it.each([
    ['userName eq "alice@example.com"', true],
    ['USERNAME Eq "ALICE@EXAMPLE.COM"', true],
    ['externalId eq "EXT-1"', false],
    ['externalId eq "ext-1"', true],
    ['displayName co "lid"', true],
    ['displayName sw "Alice"', true],
    ['displayName ew "dell"', true],
    ['active eq true', true],
    ['active eq false', false],
    ['userName eq "bob" or displayName sw "Ali"', true],
    ['userName sw "a" and active eq false', false],
    ['not (active eq false)', true],
    ['(userName eq "x" or userName eq "y") and active eq true', false],
    ['emails.value eq "alice@example.com"', true],
    ['emails co "example"', true],
    ['externalId pr', true],
    ['userName ne "bob"', true],
    ['userName eq "quote\\"inside"', false],
  ])('%s -> %s', (f, expected) => {
    expect(matches(f)).toBe(expected);
  });

  it.each([
    'userName eq',
    'userName eq alice',
    'userName equals "a"',
    'title eq "x"',
    'userName eq "a" and',
    '(userName eq "a"',
    'userName eq "unterminated',
    'emails[type eq "work"] pr',
    '',
    'userName eq "a" extra',
  ])('rejects %j with invalidFilter', (f) => {
    try {
      parseFilter(f, attrs);
      throw new Error('parsed');
    } catch (err) {
      expect(err).toBeInstanceOf(ScimError);
      expect((err as ScimError).scimType).toBe('invalidFilter');
    }
  });
});
