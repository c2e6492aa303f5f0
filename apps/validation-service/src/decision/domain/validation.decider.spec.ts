import type { TokenLookupResult, TokenView } from '@latchkey/contracts';
import { aTokenView } from '@latchkey/testing';
import type { PresentedCredentials } from './credentials.util';
import { AccessView, decide, DecisionRequest, isRotatedAwayReuse } from './validation.decider';

const NOW = new Date('2030-01-01T00:00:00.000Z');
const later = (ms: number) => new Date(NOW.getTime() + ms).toISOString();

const aToken = (overrides: Partial<TokenView> = {}): TokenView => aTokenView({ expiresAt: later(86_400_000), ...overrides });

const bearer: PresentedCredentials = { kind: 'token', token: 'lk_x', via: 'bearer' };

function given(token: TokenView | null, secretGeneration = token?.secretGeneration ?? 1): TokenLookupResult | null {
  return token ? { secretGeneration, token } : null;
}
function when(overrides: Partial<DecisionRequest> = {}): DecisionRequest {
  return { credentials: bearer, method: 'GET', ip: '203.0.113.7', ...overrides };
}

describe('decide', () => {
  it('answers NO_CREDENTIALS when nothing was presented', () => {
    expect(decide(when({ credentials: { kind: 'none' } }), null, NOW).code).toBe('NO_CREDENTIALS');
  });

  it('answers MALFORMED for a bad format or checksum', () => {
    expect(decide(when({ credentials: { kind: 'malformed' } }), null, NOW)).toEqual({
      code: 'MALFORMED', tokenId: null, userId: null, scopes: [], expiresAt: null,
    });
  });

  it('answers BASIC_AUTH_DISABLED for a Basic password that is not a token', () => {
    expect(decide(when({ credentials: { kind: 'password', user: 'alice' } }), null, NOW).code).toBe('BASIC_AUTH_DISABLED');
  });

  it('answers NOT_FOUND for an unknown token', () => {
    expect(decide(when(), given(null), NOW).code).toBe('NOT_FOUND');
  });

  it('answers VALID with the token facts for a good read token on GET', () => {
    const token = aToken();
    expect(decide(when(), given(token), NOW)).toEqual({
      code: 'VALID', tokenId: token.id, userId: 'alice', scopes: ['read'], expiresAt: token.expiresAt,
    });
  });

  it('answers REVOKED for a revoked token', () => {
    expect(decide(when(), given(aToken({ status: 'revoked', revokedAt: later(-1000) })), NOW).code).toBe('REVOKED');
  });

  it('answers EXPIRED for an expired status or a past expiry', () => {
    expect(decide(when(), given(aToken({ status: 'expired' })), NOW).code).toBe('EXPIRED');
    expect(decide(when(), given(aToken({ expiresAt: NOW.toISOString() })), NOW).code).toBe('EXPIRED');
    expect(decide(when(), given(aToken({ expiresAt: null })), NOW).code).toBe('VALID');
  });

  it('accepts the previous secret within the rotation grace period and REVOKES it after', () => {
    const rotated = aToken({ secretGeneration: 2, previousSecretValidUntil: later(60_000) });
    expect(decide(when(), given(rotated, 2), NOW).code).toBe('VALID');
    expect(decide(when(), given(rotated, 1), NOW).code).toBe('VALID');
    expect(decide(when(), given(rotated, 1), new Date(NOW.getTime() + 60_000)).code).toBe('REVOKED');
    expect(decide(when(), given(aToken({ secretGeneration: 3, previousSecretValidUntil: later(60_000) }), 1), NOW).code).toBe('REVOKED');
    expect(decide(when(), given(aToken({ secretGeneration: 2 }), 1), NOW).code).toBe('REVOKED');
  });

  it('marks a rotated-away secret past its grace as reuse, and nothing else', () => {
    const rotated = aToken({ secretGeneration: 2, previousSecretValidUntil: later(60_000) });
    expect(isRotatedAwayReuse(given(rotated, 1)!, NOW)).toBe(false);
    expect(isRotatedAwayReuse(given(rotated, 2)!, new Date(NOW.getTime() + 120_000))).toBe(false);
    expect(isRotatedAwayReuse(given(rotated, 1)!, new Date(NOW.getTime() + 60_000))).toBe(true);
    expect(isRotatedAwayReuse(given(aToken({ secretGeneration: 3 }), 1)!, NOW)).toBe(true);
    // already revoked: nothing more to revoke
    expect(isRotatedAwayReuse(given(aToken({ secretGeneration: 2, status: 'revoked' }), 1)!, NOW)).toBe(false);
  });

  it('answers IP_DENIED outside the allowed ranges', () => {
    const token = aToken({ allowedCidrs: ['10.0.0.0/8', '2001:db8::/32'] });
    expect(decide(when({ ip: '203.0.113.7' }), given(token), NOW).code).toBe('IP_DENIED');
    expect(decide(when({ ip: '10.20.30.40' }), given(token), NOW).code).toBe('VALID');
    expect(decide(when({ ip: '2001:db8::5' }), given(token), NOW).code).toBe('VALID');
  });

  it('answers SCOPE_DENIED for a read token on a write method', () => {
    expect(decide(when({ method: 'POST' }), given(aToken()), NOW).code).toBe('SCOPE_DENIED');
    expect(decide(when({ method: 'head' }), given(aToken()), NOW).code).toBe('VALID');
    expect(decide(when({ method: 'OPTIONS' }), given(aToken()), NOW).code).toBe('VALID');
  });

  it('lets write and admin scopes use every method', () => {
    expect(decide(when({ method: 'DELETE' }), given(aToken({ scopes: ['write'] })), NOW).code).toBe('VALID');
    expect(decide(when({ method: 'PATCH' }), given(aToken({ scopes: ['admin'] })), NOW).code).toBe('VALID');
  });

  it('denies a Basic user that is not the owner as NOT_FOUND, revealing nothing', () => {
    const token = aToken({ status: 'revoked' });
    const asBob: PresentedCredentials = { kind: 'token', token: 'lk_x', via: 'basic', basicUser: 'bob' };
    expect(decide(when({ credentials: asBob }), given(token), NOW)).toEqual({
      code: 'NOT_FOUND', tokenId: null, userId: null, scopes: [], expiresAt: null,
    });
    const asAlice: PresentedCredentials = { kind: 'token', token: 'lk_x', via: 'basic', basicUser: 'alice' };
    expect(decide(when({ credentials: asAlice }), given(aToken()), NOW).code).toBe('VALID');
  });

  it('checks revocation before the IP and scope rules', () => {
    const token = aToken({ status: 'revoked', allowedCidrs: ['10.0.0.0/8'] });
    expect(decide(when({ method: 'POST' }), given(token), NOW).code).toBe('REVOKED');
  });
});

describe('decide with a directory and policy view', () => {
  const password: PresentedCredentials = { kind: 'password', user: 'alice' };

  it('answers PASSWORD only where the policy allows passwords for that user and path', () => {
    const view: AccessView = {
      passwordDecision: (user, request) => (user === 'alice' && request.path?.startsWith('/legacy/') ? 'PASSWORD' : 'BASIC_AUTH_DISABLED'),
    };
    expect(decide(when({ credentials: password, path: '/legacy/x' }), null, NOW, view)).toMatchObject({ code: 'PASSWORD', userId: 'alice' });
    expect(decide(when({ credentials: password, path: '/rest/x' }), null, NOW, view).code).toBe('BASIC_AUTH_DISABLED');
  });

  it('refuses passwords without a view, and passes on any other refusal of the policy without naming the user', () => {
    expect(decide(when({ credentials: password }), null, NOW).code).toBe('BASIC_AUTH_DISABLED');
    for (const code of ['USER_INACTIVE', 'IP_DENIED', 'NOT_PERMITTED'] as const) {
      expect(decide(when({ credentials: password }), null, NOW, { passwordDecision: () => code })).toEqual({
        code, tokenId: null, userId: null, scopes: [], expiresAt: null,
      });
    }
  });

  it('answers USER_INACTIVE for a deactivated owner, after revocation and before IP and scope', () => {
    const view = { isUserActive: () => false };
    expect(decide(when({ method: 'POST' }), given(aToken({ allowedCidrs: ['10.0.0.0/8'] })), NOW, view).code).toBe('USER_INACTIVE');
    expect(decide(when(), given(aToken({ status: 'revoked' })), NOW, view).code).toBe('REVOKED');
  });

  it('applies the global IP allowlist on top of the token ranges', () => {
    const view = { isIpAllowed: (ip: string) => ip.startsWith('10.') };
    expect(decide(when({ ip: '203.0.113.7' }), given(aToken()), NOW, view).code).toBe('IP_DENIED');
    expect(decide(when({ ip: '10.1.1.1' }), given(aToken()), NOW, view).code).toBe('VALID');
  });

  it('answers NOT_PERMITTED when a policy rule refuses, after the scope check', () => {
    const view = { permits: () => false };
    expect(decide(when(), given(aToken()), NOW, view).code).toBe('NOT_PERMITTED');
    expect(decide(when({ method: 'PUT' }), given(aToken()), NOW, view).code).toBe('SCOPE_DENIED');
  });
});
