import { Body, Controller, Headers, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { DomainError, INTERNAL_SECRET_HEADER, TokenLookupRequest } from '@latchkey/contracts';
import { constantTimeEqual } from '@latchkey/token-format';
import { TOKEN_SERVICE_CONFIG, TokenServiceConfig } from '../config/token-service.config';
import { TokensService } from '../tokens/tokens.service';

class RevokeByHashRequest extends TokenLookupRequest {
  @IsOptional() @IsString() @Length(1, 200) reason?: string;
}

/**
 * Service-to-service endpoints for the validators: reuse reports and RFC 7009 revocations. The source of truth itself
 * (HMAC -> token state, `POST /internal/v1/tokens/lookup`) is served on plain node:http by internal-lookup.route.ts.
 * HMACs travel in bodies, never URLs, which end up in access logs.
 */
@ApiExcludeController()
@Controller('internal/v1/tokens')
export class InternalLookupController {
  constructor(
    private readonly service: TokensService,
    @Inject(TOKEN_SERVICE_CONFIG) private readonly config: TokenServiceConfig,
  ) {}

  /** a validator saw a secret that is not the current one: revoke the token if its grace is over */
  @Post('reuse')
  @HttpCode(200)
  reuse(@Body() body: TokenLookupRequest, @Headers(INTERNAL_SECRET_HEADER) secret?: string): Promise<{ revoked: boolean }> {
    this.authenticate(secret);
    return this.service.reportSecretUse(body.secretHash);
  }

  @Post('revoke-by-hash')
  @HttpCode(200)
  revokeByHash(@Body() body: RevokeByHashRequest, @Headers(INTERNAL_SECRET_HEADER) secret?: string): Promise<{ revoked: boolean }> {
    this.authenticate(secret);
    return this.service.revokeBySecretHash(body.secretHash, body.reason ?? 'revoked through RFC 7009');
  }

  private authenticate(secret: string | undefined): void {
    if (!secret || !constantTimeEqual(secret, this.config.LATCHKEY_INTERNAL_SECRET)) {
      throw new DomainError('UNAUTHENTICATED', 'internal endpoint');
    }
  }
}
