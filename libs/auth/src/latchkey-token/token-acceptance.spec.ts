import type { TokenView } from '@latchkey/contracts';
import { acceptPresentedToken } from './token-acceptance';

const now = new Date('2030-01-01T00:00:00.000Z');

function found(overrides: Partial<TokenView> = {}, secretGeneration = 1) {
  const token: TokenView = {
    id: '0190a000-0000-7000-8000-000000000001',
    ownerId: 'alice',
    createdBy: 'alice',
    name: 'ci',
    hint: 'lk_…abcd',
    scopes: ['read'],
    allowedCidrs: [],
    status: 'active',
    createdAt: '2029-12-01T00:00:00.000Z',
    expiresAt: null,
    revokedAt: null,
    revokedReason: null,
    secretGeneration: 1,
    previousSecretValidUntil: null,
    version: 1,
    ...overrides,
  };
  return { secretGeneration, token };
}

describe(acceptPresentedToken.name, () => {
  it('accepts the current secret of an active, unexpired token', () => {
    expect(acceptPresentedToken(found({ expiresAt: '2030-01-01T00:00:01.000Z' }), now)).toEqual({ ok: true });
  });

  it('rejects a revoked token', () => {
    expect(acceptPresentedToken(found({ status: 'revoked' }), now)).toEqual({ ok: false, reason: 'REVOKED' });
  });

  it('rejects a token whose expiry has passed, even before TokenExpired is applied', () => {
    expect(acceptPresentedToken(found({ expiresAt: '2030-01-01T00:00:00.000Z' }), now)).toEqual({ ok: false, reason: 'EXPIRED' });
    expect(acceptPresentedToken(found({ status: 'expired' }), now)).toEqual({ ok: false, reason: 'EXPIRED' });
  });

  it('accepts the previous secret until its grace ends, and not a moment after', () => {
    const rotated = { secretGeneration: 2, previousSecretValidUntil: '2030-01-01T00:00:00.001Z' };
    expect(acceptPresentedToken(found(rotated, 1), now)).toEqual({ ok: true });
    expect(acceptPresentedToken(found(rotated, 1), new Date('2030-01-01T00:00:00.001Z'))).toEqual({ ok: false, reason: 'ROTATED_AWAY' });
  });

  it('rejects secrets two generations old as rotated away, grace or not', () => {
    expect(acceptPresentedToken(found({ secretGeneration: 3, previousSecretValidUntil: '2031-01-01T00:00:00.000Z' }, 1), now)).toEqual({
      ok: false,
      reason: 'ROTATED_AWAY',
    });
    expect(acceptPresentedToken(found({ secretGeneration: 2 }, 1), now)).toEqual({ ok: false, reason: 'ROTATED_AWAY' });
  });
});
