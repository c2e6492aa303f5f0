import { Module } from '@nestjs/common';
import { AuditEntryRepository } from './audit-entry.repository';

@Module({
  providers: [AuditEntryRepository],
  exports: [AuditEntryRepository],
})
export class AuditEntriesModule {}
