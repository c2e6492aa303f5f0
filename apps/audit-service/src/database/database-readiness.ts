import { Injectable, OnModuleInit } from '@nestjs/common';
import { ReadinessRegistry } from '@latchkey/service-kit';
import { AuditEntryRepository } from '../entries/audit-entry.repository';

/** /health/ready: the audit database answers. */
@Injectable()
export class DatabaseReadiness implements OnModuleInit {
  constructor(
    private readonly readiness: ReadinessRegistry,
    private readonly entries: AuditEntryRepository,
  ) {}

  onModuleInit(): void {
    this.readiness.register({
      name: 'postgres',
      check: async () => {
        await this.entries.ping();
        return { ok: true };
      },
    });
  }
}
