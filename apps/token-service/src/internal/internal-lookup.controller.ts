import { Body, Controller, Headers, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { DomainError, INTERNAL_SECRET_HEADER, TokenLookupRequest, TokenLookupResult } from '@latchkey/contracts';
import { constantTimeEqual } from '@latchkey/token-format';
import { TOKEN_SERVICE_CONFIG, TokenServiceConfig } from '../config/token-service.config';
import { TokenRepository } from '../tokens/token.repository';
import { TokenError, TokenErrorCodes } from '../tokens/domain/token.errors';

/** The validators' source of truth: HMAC -> token state. Service-to-service only. */
@ApiExcludeController()
@Controller('internal/v1/tokens')
export class InternalLookupController {
  constructor(
    private readonly tokens: TokenRepository,
    @Inject(TOKEN_SERVICE_CONFIG) private readonly config: TokenServiceConfig,
  ) {}

  /** POST with the HMAC in the body: URLs end up in access logs, and an HMAC must not. */
  @Post('lookup')
  @HttpCode(200)
  async lookup(@Body() body: TokenLookupRequest, @Headers(INTERNAL_SECRET_HEADER) secret?: string): Promise<TokenLookupResult> {
    const hash = body.secretHash;
    if (!secret || !constantTimeEqual(secret, this.config.LATCHKEY_INTERNAL_SECRET)) {
      throw new DomainError('UNAUTHENTICATED', 'internal endpoint');
    }
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new DomainError('INVALID_INPUT', 'secretHash must be 64 hex characters');
    const found = await this.tokens.findBySecretHash(hash);
    if (!found) throw new TokenError(TokenErrorCodes.notFound, 'no token has this hash');
    return found;
  }
}
