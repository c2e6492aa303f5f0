import { Inject, Injectable, Logger } from '@nestjs/common';
import { IncomingMessage } from '@latchkey/messaging';
import { AuditEntryRepository } from '../entries/audit-entry.repository';
import { InsertOutcome, UnstorableEntryError } from '../entries/audit-entry';
import { decodeAuditMessage, RejectionReason, RejectionReasons } from './domain/audit-message.decoder';
import { AUDIT_INGEST_METRICS, AuditIngestMetrics } from './audit-ingest.metrics';

export type IngestResult = InsertOutcome | { rejected: RejectionReason };

/**
 * Records one message. Garbage is counted and skipped (it would fail the same way forever); an outage
 * (database down) rejects, so the subscriber delivers the message again.
 */
@Injectable()
export class AuditIngestService {
  private readonly logger = new Logger(AuditIngestService.name);

  constructor(
    private readonly entries: AuditEntryRepository,
    @Inject(AUDIT_INGEST_METRICS) private readonly metrics: AuditIngestMetrics,
  ) {}

  async handle(m: IncomingMessage): Promise<IngestResult> {
    const where = `${m.topic}[${m.partition}]@${m.offset}`;
    const decoded = decodeAuditMessage(m.topic, m.value);
    if (!decoded.ok) return this.reject(decoded.reason, `${where}: ${decoded.detail}`);
    try {
      const outcome = await this.entries.insert(decoded.entry);
      this.metrics.recorded.inc({ outcome });
      return outcome;
    } catch (err) {
      if (err instanceof UnstorableEntryError) {
        return this.reject(RejectionReasons.unstorable, `${where}: event ${decoded.entry.eventId} (SQLSTATE ${err.sqlState})`);
      }
      throw err;
    }
  }

  private reject(reason: RejectionReason, detail: string): IngestResult {
    this.metrics.rejected.inc({ reason });
    this.logger.warn(`skipped a message (${reason}): ${detail}`);
    return { rejected: reason };
  }
}
