import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditQueryService } from './audit-query.service';
import { AUDIT_QUERY_DEFAULT_LIMIT, AuditQueryDto } from './dto/audit-query.dto';
import { AuditEntryListDto } from './dto/audit-entry.dto';

@ApiTags('audit')
@Controller('v1/audit')
export class AuditQueryController {
  constructor(private readonly query: AuditQueryService) {}

  @Get()
  @ApiOperation({ summary: 'Audit entries matching every given filter, oldest first' })
  @ApiOkResponse({ type: AuditEntryListDto })
  async search(@Query() q: AuditQueryDto): Promise<AuditEntryListDto> {
    const items = await this.query.search({
      tokenId: q.tokenId,
      aggregateId: q.aggregateId,
      type: q.type,
      limit: q.limit ?? AUDIT_QUERY_DEFAULT_LIMIT,
    });
    return { items };
  }
}
