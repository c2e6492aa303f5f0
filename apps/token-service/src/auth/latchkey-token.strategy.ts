import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import { hashToken, parseToken } from '@latchkey/token-format';
import { TOKEN_SERVICE_CONFIG, TokenServiceConfig } from '../config/token-service.config';
import { TokenRepository } from '../tokens/token.repository';
import { CLOCK, Clock } from '../tokens/clock';
import { Principal } from './principal';

/**
 * Authenticates management calls made with a Latchkey token (`Authorization: Bearer lk_...`).
 * Format is checked before any lookup; only an active, unexpired, current-generation secret passes.
 */
@Injectable()
export class LatchkeyTokenStrategy extends PassportStrategy(Strategy, 'latchkey-token') {
  constructor(
    private readonly tokens: TokenRepository,
    @Inject(TOKEN_SERVICE_CONFIG) private readonly config: TokenServiceConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    super();
  }

  async validate(presented: string): Promise<Principal | false> {
    const parsed = parseToken(presented, this.config.LATCHKEY_TOKEN_PREFIX);
    if (!parsed.ok) return false;
    const found = await this.tokens.findBySecretHash(hashToken(this.config.LATCHKEY_PEPPER, parsed.token));
    if (!found) return false;
    const { token, secretGeneration } = found;
    const now = this.clock.now().getTime();
    if (token.status !== 'active') return false;
    if (token.expiresAt && Date.parse(token.expiresAt) <= now) return false;
    const inGrace = token.previousSecretValidUntil !== null && Date.parse(token.previousSecretValidUntil) > now;
    if (secretGeneration !== token.secretGeneration && !(secretGeneration === token.secretGeneration - 1 && inGrace)) return false;
    return { userId: token.ownerId, via: 'latchkey-token', tokenId: token.id, scopes: token.scopes };
  }
}
