import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import { Principal } from '../principal';
import { looksLikeJwt, OidcAccessTokenVerifier } from './oidc-access-token.verifier';

/** Injection token of the OidcAccessTokenVerifier; null when OIDC is disabled. */
export const OIDC_VERIFIER = Symbol('OIDC_VERIFIER');

/** Passport strategy 'oidc': `Authorization: Bearer <JWT access token from LATCHKEY_OIDC_ISSUER>`. */
@Injectable()
export class OidcStrategy extends PassportStrategy(Strategy, 'oidc') {
  constructor(@Inject(OIDC_VERIFIER) private readonly verifier: OidcAccessTokenVerifier | null) {
    super();
  }

  async validate(bearer: string): Promise<Principal | false> {
    if (!this.verifier || !looksLikeJwt(bearer)) return false;
    const result = await this.verifier.verify(bearer);
    return result.ok ? result.principal : false;
  }
}
