import { TokenLookupResult } from '@latchkey/contracts';
import { secretGenerationAccepted } from '@latchkey/token-format';

/** Why a found token does not authenticate. ROTATED_AWAY = an old secret presented after its grace (reuse). */
export type TokenRejection = 'REVOKED' | 'EXPIRED' | 'ROTATED_AWAY';
export type TokenAcceptance = { ok: true } | { ok: false; reason: TokenRejection };

/**
 * Whether the secret that hashed to `found` may be used at `now`: the token is active and unexpired, and the
 * secret is the current generation or the previous one within its rotation grace. Pure: shared by
 * token-service (database lookup) and HTTP callers of its internal lookup.
 */
export function acceptPresentedToken(found: TokenLookupResult, now: Date): TokenAcceptance {
  const { token, secretGeneration } = found;
  const at = now.getTime();
  if (token.status === 'revoked') return { ok: false, reason: 'REVOKED' };
  if (token.status === 'expired' || (token.expiresAt !== null && Date.parse(token.expiresAt) <= at)) return { ok: false, reason: 'EXPIRED' };
  return secretGenerationAccepted(token, secretGeneration, now) ? { ok: true } : { ok: false, reason: 'ROTATED_AWAY' };
}
