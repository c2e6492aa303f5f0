import { Body, Controller, Get, Headers, HttpCode, Post, Put, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { actorOf, AdminGuard, CurrentPrincipal, ManagementAuthGuard, Principal } from '@latchkey/auth';
import { parseIfMatch } from './domain/policy.errors';
import { PolicyDocumentDto } from './dto/policy-document.dto';
import { PolicyQueryDto } from './dto/policy-query.dto';
import { PolicyChangeResult, PolicyService } from './policy.service';

/** The ETag of a policy document: its version, as a strong validator (what If-Match compares). */
export function policyETag(version: number): string {
  return `"${version}"`;
}

@ApiTags('policy')
@Controller('v1/policy')
export class PolicyController {
  constructor(private readonly policy: PolicyService) {}

  @Get()
  @ApiOperation({ summary: 'The current policy document; ETag = its version (public: every service reads it)' })
  @ApiOkResponse({ type: PolicyDocumentDto, headers: { ETag: { description: 'the document version, e.g. "3"' } } })
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'answers 304 when the version is unchanged' })
  async get(@Query() _query: PolicyQueryDto, @Res({ passthrough: true }) res: Response): Promise<PolicyDocumentDto> {
    const doc = await this.policy.current();
    res.setHeader('ETag', policyETag(doc.version));
    return doc;
  }

  @Put()
  @UseGuards(ManagementAuthGuard, AdminGuard)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Replace the whole document. If-Match required; a stale version answers 412 and changes nothing' })
  @ApiHeader({ name: 'If-Match', required: true, description: 'the ETag you read, or *' })
  @ApiBody({ schema: { type: 'object', properties: { rules: { type: 'object' }, version: { type: 'integer' } }, required: ['rules'] } })
  async put(
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: unknown,
    @CurrentPrincipal() admin: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PolicyChangeResult> {
    const result = await this.policy.replace(parseIfMatch(ifMatch), body, actorOf(admin));
    res.setHeader('ETag', policyETag(result.version));
    return result;
  }

  @Post('evaluate')
  @HttpCode(200)
  @UseGuards(ManagementAuthGuard, AdminGuard)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'May actor X create this token? May this request pass? Answers the deciding rule' })
  @ApiBody({
    schema: {
      type: 'object',
      example: { creation: { actor: 'alice', ownerId: null, scopes: ['write'], lifetimeDays: 30 } },
      description: '{creation: {actor, actorGroups?, actorIsAdmin?, ownerId?, scopes, lifetimeDays?, ownerActiveTokens?}} or {request: {userId, ip, method, path, credential}}',
    },
  })
  evaluate(@Body() body: unknown): Promise<unknown> {
    return this.policy.evaluate(body);
  }
}
