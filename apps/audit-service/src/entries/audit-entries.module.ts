import { Module } from '@nestjs/common';
import { AppendSignal } from './append-signal';
import { AuditEntryRepository } from './audit-entry.repository';

@Module({
  providers: [AuditEntryRepository, AppendSignal],
  exports: [AuditEntryRepository, AppendSignal],
})
export class AuditEntriesModule {}
