import { EventEnvelope } from './envelope';

export const TOKEN_AGGREGATE = 'token';

export const Scopes = ['read', 'write', 'admin'] as const;
export type Scope = (typeof Scopes)[number];

export type TokenStatus = 'active' | 'revoked' | 'expired';

/**
 * The full state of a token as every consumer sees it: carried by each token event so no consumer needs a
 * second lookup. Never holds the secret or its HMAC.
 */
export interface TokenView {
  id: string;
  ownerId: string;
  createdBy: string;
  name: string;
  /** prefix + last 4 characters, for people to recognise a token */
  hint: string;
  scopes: Scope[];
  allowedCidrs: string[];
  status: TokenStatus;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  revokedReason: string | null;
  /** increments on rotation; the secret of generation n-1 works until previousSecretValidUntil */
  secretGeneration: number;
  previousSecretValidUntil: string | null;
  version: number;
  /** when the ExpiryWarning was issued (absent until then) */
  expiryWarnedAt?: string | null;
}

/** What the management API shows: the token plus its usage (a projection of latchkey.usage.v1, not event state). */
export interface TokenDetails extends TokenView {
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  lastUsedUserAgent: string | null;
  useCount: number;
  /**
   * as of now: an active token past its expiry shows expired before TokenExpired lands, and one whose owner the
   * directory has deactivated shows blocked (reactivation restores it)
   */
  effectiveStatus: TokenStatus | 'blocked';
}

export const TokenEventTypes = {
  issued: 'TokenIssued',
  renamed: 'TokenRenamed',
  rotated: 'TokenRotated',
  revoked: 'TokenRevoked',
  expired: 'TokenExpired',
  /** a configurable number of days before expiry, for notifications (a contract addition) */
  expiryWarning: 'TokenExpiryWarning',
} as const;
export type TokenEventType = (typeof TokenEventTypes)[keyof typeof TokenEventTypes];

export interface TokenIssuedData {
  name: string;
  ownerId: string;
  scopes: Scope[];
  allowedCidrs: string[];
  expiresAt: string | null;
  hint: string;
}
export interface TokenRenamedData { name: string; previousName: string }
export interface TokenRotatedData { secretGeneration: number; hint: string; previousSecretValidUntil: string | null }
export interface TokenRevokedData {
  reason: string;
  /** machine-readable cause: user, admin, bulk, leaked, reuse-detected, owner-deactivated, rfc7009 */
  cause?: string;
}
export type TokenExpiredData = Record<string, never>;
export interface TokenExpiryWarningData { expiresAt: string; daysBefore: number }

export interface TokenEventDataByType {
  TokenIssued: TokenIssuedData;
  TokenRenamed: TokenRenamedData;
  TokenRotated: TokenRotatedData;
  TokenRevoked: TokenRevokedData;
  TokenExpired: TokenExpiredData;
  TokenExpiryWarning: TokenExpiryWarningData;
}

/** A token event: the envelope plus the token's full resulting state. */
export type TokenEvent<T extends TokenEventType = TokenEventType> = EventEnvelope<T, TokenEventDataByType[T]> & {
  state: TokenView;
};

export function isTokenEvent(e: EventEnvelope): e is TokenEvent {
  return e.aggregateType === TOKEN_AGGREGATE && typeof (e as Partial<TokenEvent>).state === 'object';
}
