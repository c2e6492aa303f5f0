import { Body, Controller, Delete, Get, HttpCode, Param, ParseBoolPipe, ParseUUIDPipe, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { IssueTokenRequest, IssueTokenResponse, RenameTokenRequest, RotateTokenRequest, TokenDetails, TokenView, TokenViewDto } from '@latchkey/contracts';
import { CurrentPrincipal, ManagementAuthGuard, Principal } from '@latchkey/auth';
import { RevokeResult, TokensService } from './tokens.service';

/** A person's own tokens (administrators may address any token by id). */
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
  async list(@CurrentPrincipal() principal: Principal): Promise<{ items: TokenDetails[] }> {
    return { items: await this.tokens.listOwn(principal) };
  }

  @Get(':id')
  @ApiOkResponse({ type: TokenViewDto })
  get(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<TokenDetails> {
    return this.tokens.get(principal, id);
  }

  @Patch(':id')
  @ApiOkResponse({ type: TokenViewDto })
  async rename(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: RenameTokenRequest): Promise<{ token: TokenView }> {
    return { token: await this.tokens.rename(principal, id, body.name) };
  }

  @Post(':id/rotate')
  @HttpCode(200)
  @ApiOkResponse({ type: IssueTokenResponse, description: 'the new secret; the old one works for graceSeconds' })
  rotate(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: RotateTokenRequest): Promise<IssueTokenResponse> {
    return this.tokens.rotate(principal, id, body.graceSeconds ?? 0);
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiQuery({ name: 'wait', required: false, type: Boolean, description: 'wait for every live validation replica (default true)' })
  revoke(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query('wait', new ParseBoolPipe({ optional: true })) wait?: boolean,
  ): Promise<RevokeResult> {
    return this.tokens.revoke(principal, id, { wait: wait ?? true });
  }
}
