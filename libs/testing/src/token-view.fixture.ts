import type { TokenView } from '@latchkey/contracts';

/** A token state for specs (active, read-only, first secret generation); override what the test is about. */
export function aTokenView(overrides: Partial<TokenView> = {}): TokenView {
  return {
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
}
