import { Inject, Injectable, Logger } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import { hashToken, parseToken } from '@latchkey/token-format';
import { TOKEN_SERVICE_CONFIG, TokenServiceConfig } from '../config/token-service.config';
import { TokenRepository } from '../tokens/token.repository';
import { TokensService } from '../tokens/tokens.service';
import { CLOCK, Clock } from '../tokens/clock';
import { isPastExpiry, secretGenerationAccepted } from '../tokens/domain/token.decider';
import { Principal } from './principal';

/**
 * Authenticates management calls made with a Latchkey token (`Authorization: Bearer lk_...`).
 * Format is checked before any lookup; only an active, unexpired, accepted-generation secret passes, and a
 * rotated-away secret presented after its grace revokes the token (reuse detection).
 */
@Injectable()
export class LatchkeyTokenStrategy extends PassportStrategy(Strategy, 'latchkey-token') {
  private readonly logger = new Logger('LatchkeyTokenAuth');

  constructor(
    private readonly tokens: TokenRepository,
    private readonly service: TokensService,
    @Inject(TOKEN_SERVICE_CONFIG) private readonly config: TokenServiceConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    super();
  }

  async validate(presented: string): Promise<Principal | false> {
    const parsed = parseToken(presented, this.config.LATCHKEY_TOKEN_PREFIX);
    if (!parsed.ok) return false;
    const hash = hashToken(this.config.LATCHKEY_PEPPER, parsed.token);
    const found = await this.tokens.findBySecretHash(hash);
    if (!found) return false;
    const { token, secretGeneration } = found;
    const now = this.clock.now();
    if (token.status !== 'active' || isPastExpiry(token, now)) return false;
    if (!secretGenerationAccepted(token, secretGeneration, now)) {
      const { revoked } = await this.service.reportSecretUse(hash);
      if (revoked) this.logger.warn(`token ${token.id} revoked: a rotated-away secret was presented after its grace period`);
      return false;
    }
    return { userId: token.ownerId, via: 'latchkey-token', tokenId: token.id, scopes: token.scopes };
  }
}
