import { Controller, Get, Headers, Inject, Param } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { INTERNAL_SECRET_HEADER, TokenLookupResult } from '@latchkey/contracts';
import { constantTimeEqual } from '@latchkey/token-format';
import { TOKEN_SERVICE_CONFIG, TokenServiceConfig } from '../config/token-service.config';
import { TokenRepository } from '../tokens/token.repository';
import { TokenError, TokenErrorCodes } from '../tokens/domain/token.errors';
import { DomainError } from '@latchkey/contracts';

/** The validators' source of truth: HMAC -> token state. Service-to-service only. */
@ApiExcludeController()
@Controller('internal/v1/tokens')
export class InternalLookupController {
  constructor(
    private readonly tokens: TokenRepository,
    @Inject(TOKEN_SERVICE_CONFIG) private readonly config: TokenServiceConfig,
  ) {}

  @Get('by-hash/:hash')
  async byHash(@Param('hash') hash: string, @Headers(INTERNAL_SECRET_HEADER) secret?: string): Promise<TokenLookupResult> {
    if (!secret || !constantTimeEqual(secret, this.config.LATCHKEY_INTERNAL_SECRET)) {
      throw new DomainError('UNAUTHENTICATED', 'internal endpoint');
    }
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new DomainError('INVALID_INPUT', 'hash must be 64 hex characters');
    const found = await this.tokens.findBySecretHash(hash);
    if (!found) throw new TokenError(TokenErrorCodes.notFound, 'no token has this hash');
    return found;
  }
}
