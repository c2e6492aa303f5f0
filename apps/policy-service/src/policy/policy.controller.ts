import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { PolicyService } from './policy.service';
import { PolicyDocumentDto } from './dto/policy-document.dto';
import { PolicyQueryDto } from './dto/policy-query.dto';

/** The ETag of a policy document: its version, as a strong validator (what If-Match will compare). */
export function policyETag(version: number): string {
  return `"${version}"`;
}

@ApiTags('policy')
@Controller('v1/policy')
export class PolicyController {
  constructor(private readonly policy: PolicyService) {}

  @Get()
  @ApiOperation({ summary: 'The current policy document; ETag = its version' })
  @ApiOkResponse({ type: PolicyDocumentDto, headers: { ETag: { description: 'the document version, e.g. "3"' } } })
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'answers 304 when the version is unchanged' })
  async get(@Query() _query: PolicyQueryDto, @Res({ passthrough: true }) res: Response): Promise<PolicyDocumentDto> {
    const doc = await this.policy.current();
    res.setHeader('ETag', policyETag(doc.version));
    return doc;
  }
}
