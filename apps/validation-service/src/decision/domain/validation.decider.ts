import type { DecisionCode, Scope, TokenLookupResult, TokenView } from '@latchkey/contracts';
import { ipInAnyCidr } from './cidr.util';
import type { PresentedCredentials } from './credentials.util';

export interface DecisionRequest {
  credentials: PresentedCredentials;
  method: string;
  ip: string;
}

export interface Decision {
  code: DecisionCode;
  tokenId: string | null;
  userId: string | null;
  scopes: Scope[];
  expiresAt: string | null;
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const anonymous = (code: DecisionCode): Decision => ({ code, tokenId: null, userId: null, scopes: [], expiresAt: null });

const about = (code: DecisionCode, token: TokenView): Decision => ({
  code,
  tokenId: token.id,
  userId: token.ownerId,
  scopes: [...token.scopes],
  expiresAt: token.expiresAt,
});

export function scopesAllowMethod(scopes: readonly Scope[], method: string): boolean {
  const m = method.toUpperCase();
  return scopes.some((s) => s === 'write' || s === 'admin' || (s === 'read' && READ_METHODS.has(m)));
}

/** The presented secret is the current one, or the previous one within its rotation grace period. */
function secretGenerationAccepted(presented: number, token: TokenView, now: Date): boolean {
  if (presented === token.secretGeneration) return true;
  if (presented !== token.secretGeneration - 1 || token.previousSecretValidUntil === null) return false;
  return Date.parse(token.previousSecretValidUntil) > now.getTime();
}

/**
 * The validation decision (DESIGN.md §5): request + what the caches know -> decision code. Pure: the lookup
 * was done by the caller (only for a well-formed token), the clock is passed in.
 */
export function decide(request: DecisionRequest, lookup: TokenLookupResult | null, now: Date): Decision {
  const { credentials } = request;
  switch (credentials.kind) {
    case 'none':
      return anonymous('NO_CREDENTIALS');
    case 'malformed':
      return anonymous('MALFORMED');
    case 'password':
      return anonymous('BASIC_AUTH_DISABLED');
    case 'token':
      break;
  }
  if (!lookup) return anonymous('NOT_FOUND');
  const { token } = lookup;
  // a Basic user that is not the owner learns nothing about the token
  if (credentials.via === 'basic' && credentials.basicUser !== token.ownerId) return anonymous('NOT_FOUND');
  if (token.status === 'revoked') return about('REVOKED', token);
  if (token.status === 'expired') return about('EXPIRED', token);
  if (token.expiresAt !== null && Date.parse(token.expiresAt) <= now.getTime()) return about('EXPIRED', token);
  if (!secretGenerationAccepted(lookup.secretGeneration, token, now)) return about('REVOKED', token);
  if (token.allowedCidrs.length > 0 && !ipInAnyCidr(request.ip, token.allowedCidrs)) return about('IP_DENIED', token);
  if (!scopesAllowMethod(token.scopes, request.method)) return about('SCOPE_DENIED', token);
  return about('VALID', token);
}
