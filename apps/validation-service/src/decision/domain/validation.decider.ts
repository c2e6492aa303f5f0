import type { DecisionCode, Scope, TokenView } from '@latchkey/contracts';
import { secretGenerationAccepted } from '@latchkey/token-format';
import { ipInAnyCidr } from './cidr.util';
import type { PresentedCredentials } from './credentials.util';

/** What a decision reads of a token: a TokenView has all of it, a replica's memory keeps only this. */
export type TokenFacts = Pick<
  TokenView,
  'id' | 'ownerId' | 'scopes' | 'allowedCidrs' | 'status' | 'createdAt' | 'expiresAt' | 'secretGeneration' | 'previousSecretValidUntil' | 'version'
>;

/** A lookup by HMAC: the token, and which of its secret generations the presented secret is. */
export interface LookupFacts {
  secretGeneration: number;
  token: TokenFacts;
}

export interface DecisionRequest {
  credentials: PresentedCredentials;
  method: string;
  ip: string;
  /** the request path (for path-scoped policy rules) */
  path?: string;
}

/** What the policy says about a Basic password (not a token): pass it on, or why not. */
export type PasswordDecisionCode = 'PASSWORD' | 'BASIC_AUTH_DISABLED' | 'USER_INACTIVE' | 'IP_DENIED' | 'NOT_PERMITTED';

/**
 * What the directory and the policy document say (issue "policy and directory"). Every member is optional: absent
 * means "allow", except passwords, which stay disabled unless the policy allows them.
 */
export interface AccessView {
  /** false when the directory knows the user and the user is deactivated */
  isUserActive?(userId: string): boolean;
  /** the global IP allowlist (applied on top of the token's own ranges) */
  isIpAllowed?(ip: string): boolean;
  /** a Basic password (not a token) for this user: PASSWORD when the policy lets it through on this path from this IP */
  passwordDecision?(user: string, request: DecisionRequest): PasswordDecisionCode;
  /** any further rule of the policy document (NOT_PERMITTED when false) */
  permits?(token: TokenFacts, request: DecisionRequest): boolean;
}

export const ALLOW_ALL: AccessView = {};

export interface Decision {
  code: DecisionCode;
  tokenId: string | null;
  userId: string | null;
  scopes: Scope[];
  expiresAt: string | null;
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const anonymous = (code: DecisionCode): Decision => ({ code, tokenId: null, userId: null, scopes: [], expiresAt: null });

const about = (code: DecisionCode, token: TokenFacts): Decision => ({
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


/**
 * A rotated-away secret presented after its grace period (the REVOKED-for-rotation answer of `decide`) on a token
 * that is otherwise active: token-service should hear of it (reuse detection revokes the whole token).
 */
export function isRotatedAwayReuse(lookup: LookupFacts, now: Date): boolean {
  const { token } = lookup;
  return (
    token.status === 'active' &&
    lookup.secretGeneration < token.secretGeneration &&
    !secretGenerationAccepted(token, lookup.secretGeneration, now)
  );
}

/**
 * The validation decision: request + what the caches know -> decision code. Pure: the lookup
 * was done by the caller (only for a well-formed token), the clock and the directory/policy view are passed in.
 * Order: credentials, format, lookup, revoked / expired / rotated away, owner active, token and global IP ranges,
 * scope vs method, policy.
 */
export function decide(request: DecisionRequest, lookup: LookupFacts | null, now: Date, view: AccessView = ALLOW_ALL): Decision {
  const { credentials } = request;
  switch (credentials.kind) {
    case 'none':
      return anonymous('NO_CREDENTIALS');
    case 'malformed':
      return anonymous('MALFORMED');
    case 'password': {
      const code = view.passwordDecision?.(credentials.user, request) ?? 'BASIC_AUTH_DISABLED';
      return code === 'PASSWORD' ? { ...anonymous('PASSWORD'), userId: credentials.user } : anonymous(code);
    }
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
  if (!secretGenerationAccepted(token, lookup.secretGeneration, now)) return about('REVOKED', token);
  if (view.isUserActive && !view.isUserActive(token.ownerId)) return about('USER_INACTIVE', token);
  if (token.allowedCidrs.length > 0 && !ipInAnyCidr(request.ip, token.allowedCidrs)) return about('IP_DENIED', token);
  if (view.isIpAllowed && !view.isIpAllowed(request.ip)) return about('IP_DENIED', token);
  if (!scopesAllowMethod(token.scopes, request.method)) return about('SCOPE_DENIED', token);
  if (view.permits && !view.permits(token, request)) return about('NOT_PERMITTED', token);
  return about('VALID', token);
}
