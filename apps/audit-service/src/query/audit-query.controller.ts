import { Controller, Get, Logger, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { AdminGuard, ManagementAuthGuard } from '@latchkey/auth';
import type { Response } from 'express';
import { AuditQueryService, decodeCursor, toFilter } from './audit-query.service';
import { AUDIT_QUERY_DEFAULT_LIMIT, AuditExportDto, AuditQueryDto } from './dto/audit-query.dto';
import { AuditEntryListDto } from './dto/audit-entry.dto';
import { csvHeader, csvLine, ndjsonLine } from './audit-export.format';

@ApiTags('audit')
@ApiBearerAuth()
@UseGuards(ManagementAuthGuard, AdminGuard)
@Controller('v1/audit')
export class AuditQueryController {
  private readonly logger = new Logger(AuditQueryController.name);

  constructor(private readonly query: AuditQueryService) {}

  @Get()
  @ApiOperation({ summary: 'Audit entries matching every given filter, newest first, a page at a time' })
  @ApiOkResponse({ type: AuditEntryListDto })
  async search(@Query() q: AuditQueryDto): Promise<AuditEntryListDto> {
    const filter = toFilter(q);
    if (q.cursor !== undefined) filter.beforeSeq = decodeCursor(q.cursor);
    return this.query.search(filter, q.limit ?? AUDIT_QUERY_DEFAULT_LIMIT);
  }

  @Get('export')
  @ApiOperation({ summary: 'Every matching entry, newest first, streamed as NDJSON or CSV' })
  @ApiProduces('application/x-ndjson', 'text/csv')
  async export(@Query() q: AuditExportDto, @Res() res: Response): Promise<void> {
    const filter = toFilter(q);
    const csv = q.format === 'csv';
    res.status(200);
    res.setHeader('content-type', csv ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="audit-export.${csv ? 'csv' : 'ndjson'}"`);
    res.setHeader('cache-control', 'no-store');
    let closed = false;
    res.on('close', () => (closed = true));
    const write = async (chunk: string) => {
      // back-pressure: wait for the socket instead of buffering the export in memory
      if (!res.write(chunk)) await new Promise<void>((resolve) => { res.once('drain', resolve); res.once('close', resolve); });
    };
    try {
      if (csv) await write(csvHeader());
      for await (const e of this.query.export(filter)) {
        if (closed) return;
        await write(csv ? csvLine(e) : ndjsonLine(e));
      }
      res.end();
    } catch (err) {
      // the status line is gone: all that is left is to cut the stream so the client sees it is incomplete
      this.logger.error(`export failed: ${err instanceof Error ? err.message : String(err)}`);
      res.destroy(err instanceof Error ? err : undefined);
    }
  }
}
