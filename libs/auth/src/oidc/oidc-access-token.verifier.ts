import { createRemoteJWKSet, errors, JWTPayload, jwtVerify, JWTVerifyGetKey } from 'jose';
import { CommonErrorCodes, DomainError } from '@latchkey/contracts';
import { oidcPrincipal, Principal } from '../principal';

export interface OidcVerifierOptions {
  /** LATCHKEY_OIDC_ISSUER: must equal the tokens' `iss` */
  issuer: string;
  /** LATCHKEY_OIDC_AUDIENCE: must be in the tokens' `aud` */
  audience: string;
  /** claim naming the user (LATCHKEY_OIDC_USER_CLAIM); `sub` when absent from a token */
  userClaim: string;
  /** claim holding the groups (LATCHKEY_OIDC_GROUPS_CLAIM); a dotted path reaches nested claims */
  groupsClaim: string;
  /** group whose members are administrators (LATCHKEY_ADMIN_GROUP) */
  adminGroup: string;
  clockToleranceSeconds: number;
  /** LATCHKEY_OIDC_JWKS_URI; found through the issuer's discovery document when absent */
  jwksUri?: string;
  /** a key set to use instead of the issuer's JWKS (tests) */
  keySet?: JWTVerifyGetKey;
  now?: () => Date;
}

export type OidcRejection = 'MALFORMED' | 'BAD_SIGNATURE' | 'EXPIRED' | 'WRONG_ISSUER' | 'WRONG_AUDIENCE' | 'INVALID_CLAIMS' | 'NO_USER';
export type OidcVerification = { ok: true; principal: Principal; claims: JWTPayload } | { ok: false; reason: OidcRejection };

/** Asymmetric algorithms only: never `none` or an HMAC keyed with something public. */
export const OIDC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** Cheap shape test, so non-JWT bearers (Latchkey tokens) never cost a JWKS fetch. */
export function looksLikeJwt(bearer: string): boolean {
  return bearer.length < 16_384 && bearer.startsWith('eyJ') && JWT_SHAPE.test(bearer);
}

/**
 * Verifies OIDC access tokens (JWTs) against the issuer's JWKS: signature, issuer, audience, expiry (with
 * clock tolerance), then maps the user and groups claims to a principal.
 * Answers a rejection for any bad token; throws DomainError(DEPENDENCY_UNAVAILABLE) only when the
 * issuer's keys cannot be fetched.
 */
export class OidcAccessTokenVerifier {
  private keySet?: Promise<JWTVerifyGetKey>;

  constructor(readonly options: OidcVerifierOptions) {}

  async verify(jwt: string): Promise<OidcVerification> {
    if (!looksLikeJwt(jwt)) return { ok: false, reason: 'MALFORMED' };
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(jwt, await this.keys(), {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: OIDC_ALGORITHMS,
        clockTolerance: this.options.clockToleranceSeconds,
        requiredClaims: ['exp'],
        ...(this.options.now ? { currentDate: this.options.now() } : {}),
      }));
    } catch (err) {
      return { ok: false, reason: this.rejectionOf(err) };
    }
    const userId = stringClaim(payload, this.options.userClaim) ?? stringClaim(payload, 'sub');
    if (!userId) return { ok: false, reason: 'NO_USER' };
    const groups = groupsOf(claimAt(payload, this.options.groupsClaim));
    return { ok: true, principal: oidcPrincipal(userId, groups, this.options.adminGroup), claims: payload };
  }

  private rejectionOf(err: unknown): OidcRejection {
    if (err instanceof errors.JWTExpired) return 'EXPIRED';
    if (err instanceof errors.JWTClaimValidationFailed) {
      if (err.claim === 'iss') return 'WRONG_ISSUER';
      if (err.claim === 'aud') return 'WRONG_AUDIENCE';
      return 'INVALID_CLAIMS';
    }
    if (err instanceof errors.JWSSignatureVerificationFailed || err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JOSEAlgNotAllowed) {
      return 'BAD_SIGNATURE';
    }
    if (err instanceof DomainError) throw err;
    if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid || !(err instanceof errors.JOSEError)) {
      // the issuer's keys could not be fetched: not the caller's fault
      throw new DomainError(CommonErrorCodes.unavailable, 'OIDC issuer keys unavailable');
    }
    return 'MALFORMED';
  }

  private keys(): Promise<JWTVerifyGetKey> {
    if (this.options.keySet) return Promise.resolve(this.options.keySet);
    if (!this.keySet) {
      const pending = this.discoverJwksUri().then((uri) => createRemoteJWKSet(new URL(uri), { timeoutDuration: 5000, cooldownDuration: 30_000 }));
      // a failed discovery is retried on the next call
      pending.catch(() => {
        if (this.keySet === pending) this.keySet = undefined;
      });
      this.keySet = pending;
    }
    return this.keySet;
  }

  private async discoverJwksUri(): Promise<string> {
    if (this.options.jwksUri) return this.options.jwksUri;
    const url = `${this.options.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    let doc: { issuer?: unknown; jwks_uri?: unknown };
    try {
      const res = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(5000) });
      if (!res.ok) throw new Error(`status ${res.status}`);
      doc = (await res.json()) as typeof doc;
    } catch {
      throw new DomainError(CommonErrorCodes.unavailable, 'OIDC issuer discovery failed');
    }
    if (doc.issuer !== this.options.issuer || typeof doc.jwks_uri !== 'string') {
      throw new DomainError(CommonErrorCodes.unavailable, 'OIDC discovery document does not match LATCHKEY_OIDC_ISSUER');
    }
    return doc.jwks_uri;
  }
}

function claimAt(payload: JWTPayload, path: string): unknown {
  if (path in payload) return payload[path];
  let at: unknown = payload;
  for (const part of path.split('.')) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}

function stringClaim(payload: JWTPayload, path: string): string | undefined {
  const value = claimAt(payload, path);
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** An array of strings, or one string (some IdPs send a single group so). */
function groupsOf(value: unknown): string[] {
  if (typeof value === 'string') return value ? [value] : [];
  if (Array.isArray(value)) return value.filter((g): g is string => typeof g === 'string' && g.length > 0);
  return [];
}
