import { MemoryAdapter } from './memory.adapter';

describe(MemoryAdapter.name, () => {
  afterEach(() => jest.useRealTimers());

  it('stores per model, finds sessions by uid and forgets expired entries', async () => {
    jest.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z') });
    const sessions = new MemoryAdapter('Session');
    await sessions.upsert('s1', { uid: 'u1', accountId: 'alice' }, 10);
    expect(await new MemoryAdapter('Grant').find('s1')).toBeUndefined();
    expect(await sessions.findByUid('u1')).toEqual({ uid: 'u1', accountId: 'alice' });
    jest.setSystemTime(new Date('2030-01-01T00:00:10Z'));
    expect(await sessions.find('s1')).toBeUndefined();
  });

  it('revokes everything issued under a grant, even artifacts outliving the last one stored', async () => {
    const refresh = new MemoryAdapter('RefreshToken');
    const codes = new MemoryAdapter('AuthorizationCode');
    await refresh.upsert('r1', { grantId: 'g1' }, 3600);
    await codes.upsert('c1', { grantId: 'g1' }, 1);
    await codes.consume('c1');
    expect(await codes.find('c1')).toMatchObject({ consumed: expect.any(Number) });
    await refresh.revokeByGrantId('g1');
    expect(await refresh.find('r1')).toBeUndefined();
    expect(await codes.find('c1')).toBeUndefined();
  });
});
