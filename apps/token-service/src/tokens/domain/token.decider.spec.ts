import { decide, evolve, IssueToken, TokenState } from './token.decider';
import { TokenError } from './token.errors';

const now = new Date('2026-01-01T00:00:00Z');
const issue: IssueToken = {
  kind: 'IssueToken',
  tokenId: '0190a5f0-0000-7000-8000-000000000001',
  ownerId: 'alice',
  createdBy: 'admin',
  name: 'ci',
  scopes: ['read'],
  allowedCidrs: ['10.0.0.0/8'],
  expiresAt: new Date('2026-02-01T00:00:00Z'),
  hint: 'lk_…abcd',
  now,
};

function given(...commands: Parameters<typeof decide>[0][]): TokenState {
  let state: TokenState = null;
  let version = 0;
  for (const c of commands) {
    for (const e of decide(c, state)) {
      state = evolve(state, e, { tokenId: issue.tokenId, createdBy: 'admin', occurredAt: now, version: ++version });
    }
  }
  return state;
}

describe('token decider', () => {
  it('issues a token with the requested settings', () => {
    const events = decide(issue, null);
    expect(events).toEqual([
      {
        type: 'TokenIssued',
        data: { name: 'ci', ownerId: 'alice', scopes: ['read'], allowedCidrs: ['10.0.0.0/8'], expiresAt: '2026-02-01T00:00:00.000Z', hint: 'lk_…abcd' },
      },
    ]);
    const state = evolve(null, events[0], { tokenId: issue.tokenId, createdBy: 'admin', occurredAt: now, version: 1 });
    expect(state).toMatchObject({ id: issue.tokenId, status: 'active', ownerId: 'alice', createdBy: 'admin', version: 1, secretGeneration: 1 });
  });

  it('refuses an expiry in the past', () => {
    expect(() => decide({ ...issue, expiresAt: new Date('2025-01-01T00:00:00Z') }, null)).toThrow(TokenError);
  });

  it('refuses to issue the same token id twice', () => {
    expect(() => decide(issue, given(issue))).toThrow(/already exists/);
  });

  it('revokes an active token', () => {
    const state = given(issue);
    const events = decide({ kind: 'RevokeToken', reason: 'user', now }, state);
    expect(events).toEqual([{ type: 'TokenRevoked', data: { reason: 'user' } }]);
    const after = evolve(state, events[0], { tokenId: issue.tokenId, createdBy: 'admin', occurredAt: now, version: 2 });
    expect(after).toMatchObject({ status: 'revoked', revokedReason: 'user', revokedAt: now.toISOString(), version: 2 });
  });

  it('treats a second revoke as already done (no event)', () => {
    expect(decide({ kind: 'RevokeToken', reason: 'again', now }, given(issue, { kind: 'RevokeToken', reason: 'user', now }))).toEqual([]);
  });

  it('cannot revoke a token that does not exist', () => {
    expect(() => decide({ kind: 'RevokeToken', reason: 'user', now }, null)).toThrow(/not found/);
  });
});
