import { applyPatch } from './scim-patch';
import { ScimError } from './scim.error';
import { GROUP_SCHEMA, SCHEMAS, USER_SCHEMA } from './scim-schema';

const patch = (...Operations: unknown[]) => ({ schemas: [SCHEMAS.patchOp], Operations });
const user = { userName: 'alice', active: true, emails: [{ value: 'a@x.io', type: 'work', primary: true }], name: { givenName: 'Alice' } };
const group = { displayName: 'devs', members: [{ value: 'u1' }, { value: 'u2' }] };

const scimTypeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ScimError) return err.scimType;
    throw err;
  }
  return 'no error';
};

describe(applyPatch.name, () => {
  it('deactivates the Okta way (no path, value object)', () => {
    expect(applyPatch(user, patch({ op: 'replace', value: { active: false } }), USER_SCHEMA).active).toBe(false);
  });

  it('deactivates the Entra ID way (capitalised op, "False" string)', () => {
    expect(applyPatch(user, patch({ op: 'Replace', path: 'active', value: 'False' }), USER_SCHEMA).active).toBe('False');
  });

  it('replaces a filtered sub-attribute and a nested one', () => {
    const out = applyPatch(
      user,
      patch({ op: 'replace', path: 'emails[type eq "work"].value', value: 'new@x.io' }, { op: 'Add', path: 'name.familyName', value: 'Liddell' }),
      USER_SCHEMA,
    );
    expect(out.emails).toEqual([{ value: 'new@x.io', type: 'work', primary: true }]);
    expect(out.name).toEqual({ givenName: 'Alice', familyName: 'Liddell' });
  });

  it('creates the element a filtered path names when none matches (Entra ID)', () => {
    const out = applyPatch(user, patch({ op: 'add', path: 'emails[type eq "home"].value', value: 'h@x.io' }), USER_SCHEMA);
    expect(out.emails).toEqual([user.emails[0], { type: 'home', value: 'h@x.io' }]);
  });

  it('accepts enterprise extension paths', () => {
    const out = applyPatch(user, patch({ op: 'add', path: `${SCHEMAS.enterpriseUser}:department`, value: 'R&D' }), USER_SCHEMA);
    expect(out[SCHEMAS.enterpriseUser]).toEqual({ department: 'R&D' });
  });

  it('adds and removes members in all the ways IdPs do', () => {
    let out = applyPatch(group, patch({ op: 'add', path: 'members', value: [{ value: 'u3', display: 'carol' }] }), GROUP_SCHEMA);
    expect(out.members).toEqual([{ value: 'u1' }, { value: 'u2' }, { value: 'u3', display: 'carol' }]);
    out = applyPatch(out, patch({ op: 'remove', path: 'members[value eq "u1"]' }), GROUP_SCHEMA);
    out = applyPatch(out, patch({ op: 'Remove', path: 'members', value: [{ value: 'u2' }] }), GROUP_SCHEMA);
    expect(out.members).toEqual([{ value: 'u3', display: 'carol' }]);
    out = applyPatch(out, patch({ op: 'replace', value: { id: 'ignored-read-only', displayName: 'developers' } }), GROUP_SCHEMA);
    expect(out.displayName).toBe('developers');
    out = applyPatch(out, patch({ op: 'remove', path: 'members' }), GROUP_SCHEMA);
    expect(out.members).toBeUndefined();
  });

  it.each([
    [patch({ op: 'replace', path: 'favouriteColour', value: 'blue' }), 'invalidPath'],
    [patch({ op: 'replace', path: 'name.nickname', value: 'x' }), 'invalidPath'],
    [patch({ op: 'replace', path: 'emails[type eq ]', value: 'x' }), 'invalidPath'],
    [patch({ op: 'replace', path: 'id', value: 'x' }), 'mutability'],
    [patch({ op: 'remove' }), 'noTarget'],
    [patch({ op: 'move', path: 'active' }), 'invalidSyntax'],
    [patch({ op: 'replace', value: { shoeSize: 42 } }), 'invalidSyntax'],
    [patch(), 'invalidSyntax'],
    [{ Operations: [{ op: 'replace', path: 'active', value: false }] }, 'invalidSyntax'],
    ['not an object', 'invalidSyntax'],
  ])('rejects %j with %s', (body, scimType) => {
    expect(scimTypeOf(() => applyPatch(user, body, USER_SCHEMA))).toBe(scimType);
  });
});
