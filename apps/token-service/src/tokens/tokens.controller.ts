import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { IssueTokenRequest, IssueTokenResponse, TokenView, TokenViewDto } from '@latchkey/contracts';
import { CurrentPrincipal, ManagementAuthGuard } from '../auth/auth.guard';
import { Principal } from '../auth/principal';
import { TokensService } from './tokens.service';

@ApiTags('tokens')
@ApiBearerAuth()
@UseGuards(ManagementAuthGuard)
@Controller('v1/tokens')
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  @Post()
  @ApiCreatedResponse({ type: IssueTokenResponse, description: 'the secret is in this answer and nowhere else' })
  issue(@CurrentPrincipal() principal: Principal, @Body() body: IssueTokenRequest): Promise<IssueTokenResponse> {
    return this.tokens.issue(principal, body);
  }

  @Get()
  @ApiOkResponse({ type: [TokenViewDto] })
  async list(@CurrentPrincipal() principal: Principal): Promise<{ items: TokenView[] }> {
    return { items: await this.tokens.listOwn(principal) };
  }

  @Get(':id')
  @ApiOkResponse({ type: TokenViewDto })
  get(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<TokenView> {
    return this.tokens.get(principal, id);
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenViewDto })
  async revoke(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<{ token: TokenView }> {
    return { token: await this.tokens.revoke(principal, id) };
  }
}
