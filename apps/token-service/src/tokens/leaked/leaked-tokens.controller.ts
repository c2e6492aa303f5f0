import { Body, Controller, HttpCode, Inject, Ip, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { LeakedTokensRequest, LeakedTokensResponse } from '@latchkey/contracts';
import { TOKEN_SERVICE_CONFIG, TokenServiceConfig } from '../../config/token-service.config';
import { TokenError, TokenErrorCodes } from '../domain/token.errors';
import { TokensService } from '../tokens.service';
import { FixedWindowRateLimiter } from './fixed-window.rate-limiter';

/** Public: anyone who finds tokens in the wild (a secret scanner, a colleague) can report them. */
@ApiTags('tokens')
@Controller('v1/tokens/leaked')
export class LeakedTokensController {
  private readonly limiter: FixedWindowRateLimiter;

  constructor(
    private readonly tokens: TokensService,
    @Inject(TOKEN_SERVICE_CONFIG) config: TokenServiceConfig,
  ) {
    this.limiter = new FixedWindowRateLimiter(config.LATCHKEY_LEAKED_RATE_PER_MINUTE, 60_000);
  }

  @Post()
  @HttpCode(200)
  @ApiOkResponse({ description: '{ received, revoked }: how many were revoked, never which' })
  report(@Ip() ip: string, @Body() body: LeakedTokensRequest): Promise<LeakedTokensResponse> {
    if (!this.limiter.allow(ip, Date.now())) {
      throw new TokenError(TokenErrorCodes.rateLimited, 'too many leaked-token reports from this address; retry in a minute');
    }
    return this.tokens.reportLeaked(body.tokens);
  }
}
