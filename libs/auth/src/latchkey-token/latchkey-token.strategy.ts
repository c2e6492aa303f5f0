import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import { Principal } from '../principal';
import { LATCHKEY_TOKEN_AUTHENTICATOR, LatchkeyTokenAuthenticator } from './latchkey-token.authenticator';

/** Passport strategy 'latchkey-token': `Authorization: Bearer lk_...`, checked by the injected authenticator. */
@Injectable()
export class LatchkeyTokenStrategy extends PassportStrategy(Strategy, 'latchkey-token') {
  constructor(@Inject(LATCHKEY_TOKEN_AUTHENTICATOR) private readonly authenticator: LatchkeyTokenAuthenticator) {
    super();
  }

  async validate(bearer: string): Promise<Principal | false> {
    return (await this.authenticator.authenticate(bearer)) ?? false;
  }
}
