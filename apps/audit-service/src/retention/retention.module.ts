import { Module } from '@nestjs/common';
import { AuditEntriesModule } from '../entries/audit-entries.module';
import { RetentionService } from './retention.service';

@Module({
  imports: [AuditEntriesModule],
  providers: [RetentionService],
  exports: [RetentionService],
})
export class RetentionModule {}
