import fc from 'fast-check';
import { DirectoryView } from './directory-view';
import { aGroup, aUser, groupEvent, userEvent } from './test-fixtures';

describe(DirectoryView.name, () => {
  it('finds users by id or userName (case-insensitively) and groups by id or displayName', () => {
    const alice = aUser('Alice');
    const view = DirectoryView.of([alice], [aGroup('Devs', [alice])]);
    expect(view.user('alice')?.id).toBe(alice.id);
    expect(view.user(alice.id)?.userName).toBe('Alice');
    expect(view.group('devs')?.id).toBe('gid-Devs');
    expect(view.groupsOf('ALICE').map((g) => g.displayName)).toEqual(['Devs']);
  });

  it('ignores redelivered and older events', () => {
    const view = new DirectoryView();
    const v2 = userEvent('UserDeactivated', aUser('a', { active: false, version: 2 }));
    expect(view.apply(v2)).toBe(true);
    expect(view.apply(userEvent('UserProvisioned', aUser('a')))).toBe(false);
    expect(view.apply(v2)).toBe(false);
    expect(view.user('a')?.active).toBe(false);
  });

  it('follows renames, membership changes and deletions', () => {
    const a = aUser('a');
    const b = aUser('b');
    const view = DirectoryView.of([a, b], [aGroup('g', [a])]);
    view.apply(groupEvent('MemberAdded', aGroup('g', [a, b], { version: 2 })));
    view.apply(groupEvent('GroupUpdated', aGroup('renamed', [a, b], { id: 'gid-g', version: 3 })));
    expect(view.group('g')).toBeUndefined();
    expect(view.groupsOf('b').map((g) => g.displayName)).toEqual(['renamed']);
    view.apply(groupEvent('MemberRemoved', aGroup('renamed', [b], { id: 'gid-g', version: 4 })));
    expect(view.groupsOf('a')).toEqual([]);
    view.apply(groupEvent('GroupDeleted', aGroup('renamed', [], { id: 'gid-g', version: 5, deleted: true })));
    expect(view.groupsOf('b')).toEqual([]);
    expect(view.group('gid-g')).toBeUndefined();
  });

  it('keeps a deleted user findable by name until someone else takes it', () => {
    const old = aUser('sam', { id: 'old' });
    const view = DirectoryView.of([old], []);
    view.apply(userEvent('UserDeactivated', { ...old, active: false, deleted: true, version: 2 }));
    expect(view.user('sam')?.active).toBe(false);
    view.apply(userEvent('UserProvisioned', aUser('sam', { id: 'new' })));
    expect(view.user('sam')?.id).toBe('new');
    // a late redelivery of the old user's deletion does not take the name back
    view.apply(userEvent('UserDeactivated', { ...old, active: false, deleted: true, version: 3 }));
    expect(view.user('sam')?.id).toBe('new');
  });

  it('ends in the same state whatever duplicates and reorderings of a stream it receives', () => {
    const states = [1, 2, 3, 4, 5].map((v) => aUser('u', { version: v, active: v % 2 === 1, displayName: `u${v}` }));
    const events = states.map((s) => userEvent('UserUpdated', s));
    fc.assert(
      fc.property(fc.array(fc.nat(4), { maxLength: 20 }), (noise) => {
        const view = new DirectoryView();
        for (const i of noise) view.apply(events[i]);
        for (const e of events) view.apply(e);
        expect(view.user('u')).toEqual(states[4]);
      }),
    );
  });
});
