import { Inject, Injectable, Logger } from '@nestjs/common';
import { acceptPresentedToken, latchkeyTokenPrincipal, LatchkeyTokenAuthenticator, Principal } from '@latchkey/auth';
import { hashToken, parseToken } from '@latchkey/token-format';
import { TOKEN_SERVICE_CONFIG, TokenServiceConfig } from '../config/token-service.config';
import { CLOCK, Clock } from '../tokens/clock';
import { TokenRepository } from '../tokens/token.repository';
import { TokensService } from '../tokens/tokens.service';

/**
 * Latchkey tokens presented to token-service's own API, checked on its database. Format first (no I/O); a
 * rotated-away secret presented after its grace revokes the token (reuse detection).
 */
@Injectable()
export class DbLatchkeyTokenAuthenticator implements LatchkeyTokenAuthenticator {
  private readonly logger = new Logger('LatchkeyTokenAuth');

  constructor(
    private readonly tokens: TokenRepository,
    private readonly service: TokensService,
    @Inject(TOKEN_SERVICE_CONFIG) private readonly config: TokenServiceConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async authenticate(bearer: string): Promise<Principal | null> {
    const parsed = parseToken(bearer, this.config.LATCHKEY_TOKEN_PREFIX);
    if (!parsed.ok) return null;
    const hash = hashToken(this.config.LATCHKEY_PEPPER, parsed.token);
    const found = await this.tokens.findBySecretHash(hash);
    if (!found) return null;
    const acceptance = acceptPresentedToken(found, this.clock.now());
    if (acceptance.ok) return latchkeyTokenPrincipal(found.token);
    if (acceptance.reason === 'ROTATED_AWAY') {
      const { revoked } = await this.service.reportSecretUse(hash);
      if (revoked) this.logger.warn(`token ${found.token.id} revoked: a rotated-away secret was presented after its grace period`);
    }
    return null;
  }
}
