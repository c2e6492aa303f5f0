import { Body, Controller, Get, Headers, HttpCode, ParseBoolPipe, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { BulkRevokeRequest, IssueTokenRequest, IssueTokenResponse, TokenManagerQuery } from '@latchkey/contracts';
import { CurrentPrincipal, ManagementAuthGuard, Principal } from '@latchkey/auth';
import { TokensService } from '../tokens.service';
import { tokensCsv } from './tokens-csv';

/** The token manager: every token, for administrators only (others get 404, as for an unknown path). */
@ApiTags('token manager')
@ApiBearerAuth()
@UseGuards(ManagementAuthGuard)
@Controller('v1/admin/tokens')
export class AdminTokensController {
  constructor(private readonly tokens: TokensService) {}

  @Get()
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ description: '{ items, nextCursor }, or CSV of every matching token with Accept: text/csv' })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: TokenManagerQuery, @Headers('accept') accept: string | undefined, @Res() res: Response): Promise<void> {
    if (!accept?.includes('text/csv')) {
      res.json(await this.tokens.listForManager(principal, query));
      return;
    }
    // CSV walks every page of the same query, so an export never holds more than one page in memory
    res.status(200).type('text/csv').setHeader('content-disposition', 'attachment; filename="latchkey-tokens.csv"');
    let cursor: string | undefined;
    let first = true;
    do {
      const page = await this.tokens.listForManager(principal, { ...query, limit: 500, cursor });
      res.write(tokensCsv(page.items, first));
      first = false;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    res.end();
  }

  @Post()
  @ApiOkResponse({ type: IssueTokenResponse })
  issueOnBehalf(@CurrentPrincipal() principal: Principal, @Body() body: IssueTokenRequest): Promise<IssueTokenResponse> {
    return this.tokens.issue(principal, body);
  }

  @Post('revoke')
  @HttpCode(200)
  @ApiQuery({ name: 'wait', required: false, type: Boolean })
  revoke(@CurrentPrincipal() principal: Principal, @Body() body: BulkRevokeRequest, @Query('wait', new ParseBoolPipe({ optional: true })) wait?: boolean) {
    return this.tokens.revokeMany(principal, { ids: body.ids, ownerId: body.ownerId }, { reason: body.reason, wait: wait ?? true });
  }
}
