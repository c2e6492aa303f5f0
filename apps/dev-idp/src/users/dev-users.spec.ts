import { DEMO_USERS, DevUserDirectory } from './dev-users';

describe(DevUserDirectory.name, () => {
  const directory = new DevUserDirectory(DEMO_USERS);

  it('signs demo users in with their user name as password', () => {
    expect(directory.login('alice', 'alice')?.userName).toBe('alice');
    expect(directory.login('alice', 'bob')).toBeUndefined();
    expect(directory.login('alice', '')).toBeUndefined();
    expect(directory.login('nobody', 'nobody')).toBeUndefined();
  });

  it('uses a configured password instead of the user name', () => {
    const custom = new DevUserDirectory([{ userName: 'dora', groups: ['x'], password: 's3cret' }]);
    expect(custom.login('dora', 'dora')).toBeUndefined();
    expect(custom.login('dora', 's3cret')?.groups).toEqual(['x']);
  });

  it('gives admin the admin group and carol no groups', () => {
    expect(directory.claimsOf(directory.find('admin')!)).toEqual({ sub: 'admin', preferred_username: 'admin', name: 'Ada Admin', groups: ['latchkey-admins', 'jira-users'] });
    expect(directory.find('carol')?.groups).toEqual([]);
  });
});
