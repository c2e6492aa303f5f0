import { decide, evolve, IssueToken, secretGenerationAccepted, TokenCommand, TokenState } from './token.decider';
import { TokenError } from './token.errors';

const t0 = new Date('2026-01-01T00:00:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const DAY = 86_400;
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
  now: t0,
};

/** given(commands...) -> state, applying each decision as the service would */
function given(...commands: TokenCommand[]): TokenState {
  let state: TokenState = null;
  for (const c of commands) {
    for (const e of decide(c, state)) {
      state = evolve(state, e, { tokenId: issue.tokenId, createdBy: 'admin', occurredAt: c.now, version: (state?.version ?? 0) + 1 });
    }
  }
  return state;
}
const revoke = (now = t0): TokenCommand => ({ kind: 'RevokeToken', reason: 'user', cause: 'user', now });
const rotate = (graceSeconds: number, now = t0): TokenCommand => ({ kind: 'RotateToken', graceSeconds, hint: 'lk_…wxyz', now });

describe('token decider', () => {
  describe('issue', () => {
    it('issues a token with the requested settings', () => {
      const events = decide(issue, null);
      expect(events).toEqual([
        {
          type: 'TokenIssued',
          data: { name: 'ci', ownerId: 'alice', scopes: ['read'], allowedCidrs: ['10.0.0.0/8'], expiresAt: '2026-02-01T00:00:00.000Z', hint: 'lk_…abcd' },
        },
      ]);
      expect(given(issue)).toMatchObject({ id: issue.tokenId, status: 'active', ownerId: 'alice', createdBy: 'admin', version: 1, secretGeneration: 1 });
    });

    it('refuses an expiry in the past', () => {
      expect(() => decide({ ...issue, expiresAt: new Date('2025-01-01T00:00:00Z') }, null)).toThrow(TokenError);
    });

    it('refuses to issue the same token id twice', () => {
      expect(() => decide(issue, given(issue))).toThrow(/already exists/);
    });
  });

  describe('rename', () => {
    it('renames an active token and remembers the old name', () => {
      expect(decide({ kind: 'RenameToken', name: 'deploy', now: t0 }, given(issue))).toEqual([{ type: 'TokenRenamed', data: { name: 'deploy', previousName: 'ci' } }]);
    });
    it('does nothing when the name is unchanged', () => {
      expect(decide({ kind: 'RenameToken', name: 'ci', now: t0 }, given(issue))).toEqual([]);
    });
    it('refuses to rename a revoked token', () => {
      expect(() => decide({ kind: 'RenameToken', name: 'x', now: t0 }, given(issue, revoke()))).toThrow(/revoked/);
    });
  });

  describe('rotate', () => {
    it('moves to the next secret generation and keeps the old one valid for the grace period', () => {
      const state = given(issue, rotate(60));
      expect(state).toMatchObject({ secretGeneration: 2, hint: 'lk_…wxyz', previousSecretValidUntil: at(60).toISOString(), version: 2 });
      expect(secretGenerationAccepted(state!, 1, at(59.999))).toBe(true);
      expect(secretGenerationAccepted(state!, 1, at(60))).toBe(false);
      expect(secretGenerationAccepted(state!, 2, at(1_000))).toBe(true);
    });
    it('with no grace, the old secret stops at once', () => {
      const state = given(issue, rotate(0));
      expect(state?.previousSecretValidUntil).toBeNull();
      expect(secretGenerationAccepted(state!, 1, t0)).toBe(false);
    });
    it('refuses to rotate an expired token', () => {
      expect(() => decide(rotate(0, new Date('2026-03-01T00:00:00Z')), given(issue))).toThrow(/expired/);
    });
  });

  describe('reuse detection', () => {
    it('revokes the whole token when a rotated-away secret is presented after its grace', () => {
      const events = decide({ kind: 'ReportSecretUse', generation: 1, now: at(61) }, given(issue, rotate(60)));
      expect(events).toEqual([{ type: 'TokenRevoked', data: expect.objectContaining({ cause: 'reuse-detected' }) }]);
    });
    it('does nothing within the grace period or for the current secret', () => {
      const state = given(issue, rotate(60));
      expect(decide({ kind: 'ReportSecretUse', generation: 1, now: at(30) }, state)).toEqual([]);
      expect(decide({ kind: 'ReportSecretUse', generation: 2, now: at(3000) }, state)).toEqual([]);
    });
    it('does nothing for a token that is already revoked', () => {
      expect(decide({ kind: 'ReportSecretUse', generation: 1, now: at(61) }, given(issue, rotate(60), revoke(at(1))))).toEqual([]);
    });
  });

  describe('revoke', () => {
    it('revokes an active token with its reason', () => {
      expect(given(issue, revoke())).toMatchObject({ status: 'revoked', revokedReason: 'user', revokedAt: t0.toISOString(), version: 2 });
    });
    it('treats a second revoke as already done (no event)', () => {
      expect(decide(revoke(), given(issue, revoke()))).toEqual([]);
    });
    it('cannot revoke a token that does not exist', () => {
      expect(() => decide(revoke(), null)).toThrow(/not found/);
    });
  });

  describe('expiry', () => {
    const afterExpiry = new Date('2026-02-01T00:00:00Z');
    it('expires a token once its time has come, exactly once', () => {
      expect(decide({ kind: 'ExpireToken', now: new Date(afterExpiry.getTime() - 1) }, given(issue))).toEqual([]);
      const state = given(issue, { kind: 'ExpireToken', now: afterExpiry });
      expect(state?.status).toBe('expired');
      expect(decide({ kind: 'ExpireToken', now: afterExpiry }, state)).toEqual([]);
    });
    it('warns once, the configured number of days before', () => {
      const warnAt = new Date(afterExpiry.getTime() - 7 * DAY * 1000);
      expect(decide({ kind: 'WarnOfExpiry', daysBefore: 7, now: new Date(warnAt.getTime() - 1) }, given(issue))).toEqual([]);
      const warned = given(issue, { kind: 'WarnOfExpiry', daysBefore: 7, now: warnAt });
      expect(warned?.expiryWarnedAt).toBe(warnAt.toISOString());
      expect(decide({ kind: 'WarnOfExpiry', daysBefore: 7, now: warnAt }, warned)).toEqual([]);
    });
    it('never warns about a token without expiry', () => {
      expect(decide({ kind: 'WarnOfExpiry', daysBefore: 7, now: t0 }, given({ ...issue, expiresAt: null }))).toEqual([]);
    });
  });
});
