import { Injectable } from '@nestjs/common';
import { AuditEntryRepository } from '../entries/audit-entry.repository';
import { AuditEntry, AuditEntryFilter } from '../entries/audit-entry';

@Injectable()
export class AuditQueryService {
  constructor(private readonly entries: AuditEntryRepository) {}

  search(filter: AuditEntryFilter): Promise<AuditEntry[]> {
    return this.entries.find(filter);
  }
}
