import { DirectoryGroupState, DirectoryUserState } from '@latchkey/contracts';
import { decideCreateGroup, decideCreateUser, decideDeleteGroup, decideDeleteUser, decideUpdateGroup, decideUpdateUser, UserInput } from './directory.decider';

const now = new Date('2025-02-01T00:00:00.000Z');
const input: UserInput = { userName: 'alice', externalId: 'x1', displayName: 'Alice', name: null, emails: [], active: true };
const givenUser = (over: Partial<DirectoryUserState> = {}): DirectoryUserState => ({ ...decideCreateUser('u1', input, 'person', 'scim', now)[0].state, ...over });
const givenGroup = (members: string[] = []): DirectoryGroupState => decideCreateGroup('g1', { displayName: 'devs', externalId: null, members: members.map((value) => ({ value })) }, 'scim', now)[0].state;

describe('directory decider', () => {
  it('provisions a user at version 1 with the full state', () => {
    expect(decideCreateUser('u1', input, 'serviceAccount', 'admin', now)).toEqual([
      { type: 'UserProvisioned', data: { source: 'admin' }, state: expect.objectContaining({ id: 'u1', userName: 'alice', kind: 'serviceAccount', version: 1, deleted: false }) },
    ]);
  });

  it('emits nothing when nothing changed', () => {
    expect(decideUpdateUser(givenUser(), input, 'scim', now, 'blocked')).toEqual([]);
  });

  it('emits UserUpdated then UserDeactivated (with the policy mode) when profile and active change together', () => {
    const events = decideUpdateUser(givenUser(), { ...input, displayName: 'A.', active: false }, 'scim', now, 'revoked');
    expect(events.map((e) => [e.type, e.state.version, e.state.active])).toEqual([
      ['UserUpdated', 2, true],
      ['UserDeactivated', 3, false],
    ]);
    expect(events[0].data).toEqual({ source: 'scim', changed: ['displayName'] });
    expect(events[1].data).toEqual({ source: 'scim', deleted: false, tokens: 'revoked' });
  });

  it('emits UserReactivated when active comes back', () => {
    const events = decideUpdateUser(givenUser({ active: false }), input, 'scim', now, 'blocked');
    expect(events.map((e) => e.type)).toEqual(['UserReactivated']);
  });

  it('deletes as a deactivation marked deleted', () => {
    const [e] = decideDeleteUser(givenUser(), 'scim', now, 'blocked');
    expect(e).toMatchObject({ type: 'UserDeactivated', data: { deleted: true }, state: { active: false, deleted: true, version: 2 } });
  });

  it('splits a group change into GroupUpdated, MemberRemoved and MemberAdded', () => {
    const events = decideUpdateGroup(givenGroup(['a', 'b']), { displayName: 'developers', externalId: null, members: [{ value: 'b' }, { value: 'c' }] }, 'scim', now);
    expect(events.map((e) => [e.type, e.data, e.state.members.map((m) => m.value), e.state.version])).toEqual([
      ['GroupUpdated', { source: 'scim', changed: ['displayName'] }, ['a', 'b'], 2],
      ['MemberRemoved', { source: 'scim', userIds: ['a'] }, ['b'], 3],
      ['MemberAdded', { source: 'scim', userIds: ['c'] }, ['b', 'c'], 4],
    ]);
  });

  it('deletes a group with no members left', () => {
    expect(decideDeleteGroup(givenGroup(['a']), 'scim', now)[0]).toMatchObject({ type: 'GroupDeleted', state: { deleted: true, members: [] } });
  });
});

describe('change detection', () => {
  it('ignores key order (states come back from jsonb with keys reordered)', () => {
    const user = givenUser({ emails: [{ value: 'a@x.io', type: 'work', primary: true }], name: { givenName: 'A', familyName: 'B' } });
    const reordered = { ...input, emails: [{ primary: true, type: 'work', value: 'a@x.io' }], name: { familyName: 'B', givenName: 'A' } };
    expect(decideUpdateUser(user, reordered, 'scim', now, 'blocked')).toEqual([]);
  });
});
