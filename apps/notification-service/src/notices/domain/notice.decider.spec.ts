import { TokenEvent, TokenView } from '@latchkey/contracts';
import { isTooOldToNotify, noticesForTokenEvent } from './notice.decider';

const state = (over: Partial<TokenView> = {}): TokenView => ({
  id: '0190a0e4-0000-7000-8000-000000000001',
  ownerId: 'alice',
  createdBy: 'alice',
  name: 'ci',
  hint: 'lk_...abcd',
  scopes: ['read'],
  allowedCidrs: [],
  status: 'active',
  createdAt: '2026-01-01T00:00:00.000Z',
  expiresAt: '2026-02-01T00:00:00.000Z',
  revokedAt: null,
  revokedReason: null,
  secretGeneration: 1,
  previousSecretValidUntil: null,
  version: 1,
  ...over,
});

const event = (type: TokenEvent['type'], over: Partial<TokenEvent> = {}, s: Partial<TokenView> = {}): TokenEvent =>
  ({ eventId: 'e-1', type, aggregateType: 'token', aggregateId: state().id, version: 1, occurredAt: '2026-01-10T00:00:00.000Z', actor: { userId: 'alice', via: 'oidc' }, data: {}, state: state(s), ...over }) as TokenEvent;

describe(noticesForTokenEvent.name, () => {
  it('tells the owner when someone else created a token for them', () => {
    const [n] = noticesForTokenEvent(event('TokenIssued', { actor: { userId: 'admin', via: 'oidc', onBehalfOf: 'alice' } }, { createdBy: 'admin' }));
    expect(n).toMatchObject({ kind: 'created-on-behalf', userId: 'alice', by: { userId: 'admin' }, token: { name: 'ci', hint: 'lk_...abcd' } });
  });

  it('says nothing about a token people create for themselves', () => {
    expect(noticesForTokenEvent(event('TokenIssued'))).toEqual([]);
  });

  it('tells who revoked it and why when it was not the owner', () => {
    const [n] = noticesForTokenEvent(event('TokenRevoked', { actor: { userId: 'admin', via: 'oidc' }, data: { reason: 'left the team', cause: 'admin' } }));
    expect(n).toMatchObject({ kind: 'revoked', by: { userId: 'admin' }, reason: 'left the team', cause: 'admin', key: 'revoked:e-1' });
  });

  it('says nothing when owners revoke their own token', () => {
    expect(noticesForTokenEvent(event('TokenRevoked', { data: { reason: 'revoked by its owner', cause: 'user' } }))).toEqual([]);
  });

  it('reports leaks and reuse detection, which the system does on nobody\'s request', () => {
    const leaked = noticesForTokenEvent(event('TokenRevoked', { actor: { userId: 'system', via: 'system' }, data: { reason: 'leaked', cause: 'leaked' } }));
    expect(leaked[0]).toMatchObject({ kind: 'revoked', cause: 'leaked' });
    const reuse = noticesForTokenEvent(event('TokenRevoked', { actor: { userId: 'system', via: 'system' }, data: { reason: 'reuse', cause: 'reuse-detected' } }));
    expect(reuse[0]).toMatchObject({ kind: 'reuse-detected', key: 'reuse-detected:e-1' });
  });

  it('tells the owner a token expired, keyed by token so a second expiry event changes nothing', () => {
    expect(noticesForTokenEvent(event('TokenExpired'))[0]).toMatchObject({ kind: 'expired', key: `expired:${state().id}` });
  });

  it('ignores renames, rotations and the token-service\'s own expiry warning', () => {
    for (const t of ['TokenRenamed', 'TokenRotated', 'TokenExpiryWarning'] as const) expect(noticesForTokenEvent(event(t))).toEqual([]);
  });
});

describe(isTooOldToNotify.name, () => {
  it('keeps replayed history from causing notices', () => {
    const now = new Date('2026-01-10T12:00:00Z');
    expect(isTooOldToNotify('2026-01-10T11:00:00Z', now, 2 * 3_600_000)).toBe(false);
    expect(isTooOldToNotify('2026-01-09T11:00:00Z', now, 2 * 3_600_000)).toBe(true);
    expect(isTooOldToNotify('not a date', now, 2 * 3_600_000)).toBe(true);
  });
});
