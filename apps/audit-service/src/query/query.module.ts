import { Module } from '@nestjs/common';
import { AuditEntriesModule } from '../entries/audit-entries.module';
import { AuditQueryController } from './audit-query.controller';
import { AuditQueryService } from './audit-query.service';

/** Reading and exporting the audit log over HTTP (administrators only). */
@Module({
  imports: [AuditEntriesModule],
  controllers: [AuditQueryController],
  providers: [AuditQueryService],
})
export class QueryModule {}
