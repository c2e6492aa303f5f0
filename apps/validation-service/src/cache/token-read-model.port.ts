import type { TokenLookupResult, TokenView } from '@latchkey/contracts';

/** Which token (and which secret generation of it) an HMAC belongs to. Immutable once known. */
export interface HashRef {
  tokenId: string;
  secretGeneration: number;
}

/** The shared read model (Redis in production), fed by token events and by source lookups. */
export interface TokenReadModel {
  findByHash(hmac: string): Promise<HashRef | null>;
  findToken(tokenId: string): Promise<TokenView | null>;
  /** findByHash then findToken of its token, in one round trip; null when either is missing */
  findLookup(hmac: string): Promise<TokenLookupResult | null>;
  /** stores the hash mapping and the token state (the state only if newer than the stored one) */
  saveLookup(hmac: string, result: TokenLookupResult): Promise<void>;
  /** stores the token state only if its version is above the stored one; true when written */
  saveToken(view: TokenView): Promise<boolean>;
  ping(): Promise<void>;
}
export const TOKEN_READ_MODEL = Symbol('TOKEN_READ_MODEL');

/** The source of truth (token-service): null when no token has this HMAC; throws when it cannot answer. */
export interface TokenSource {
  findByHash(hmac: string): Promise<TokenLookupResult | null>;
}
export const TOKEN_SOURCE = Symbol('TOKEN_SOURCE');

/** Revocation through the source of truth (RFC 7009); throws SourceUnavailableError when it cannot answer. */
export interface TokenRevoker {
  revokeByHash(hmac: string, reason: string): Promise<{ revoked: boolean }>;
}
export const TOKEN_REVOKER = Symbol('TOKEN_REVOKER');

/** Reuse detection: a rotated-away secret was presented after its grace; token-service decides and revokes the token. */
export interface ReuseReportSink {
  reportReuse(hmac: string): Promise<{ revoked: boolean }>;
}
export const REUSE_REPORT_SINK = Symbol('REUSE_REPORT_SINK');

/** The source could not answer (down, timeout, unexpected status): validation fails closed with a 503. */
export class SourceUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceUnavailableError';
  }
}
