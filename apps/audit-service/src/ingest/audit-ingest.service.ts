import { Inject, Injectable, Logger } from '@nestjs/common';
import { IncomingMessage } from '@latchkey/messaging';
import { AppendSignal } from '../entries/append-signal';
import { AuditEntryRepository, UnstorableEntryError } from '../entries/audit-entry.repository';
import { HashedRecord, hashRecord } from '../entries/domain/audit-record';
import { decodeAuditMessage, RejectionReasons } from './domain/audit-message.decoder';
import { AUDIT_INGEST_METRICS, AuditIngestMetrics } from './audit-ingest.metrics';
import { DEAD_LETTER_SINK, DeadLetter, DeadLetterSink } from './dead-letter.port';

export interface IngestSummary {
  inserted: number;
  duplicates: number;
  rejected: number;
  ignored: number;
}

/**
 * Records a batch of messages of one partition: valid events are appended to the chain in one transaction, garbage
 * goes to the dead-letter topic (it would fail the same way forever), heartbeats are skipped. An outage (database
 * or DLQ down) rejects, so the whole batch is delivered again; the append deduplicates by event id.
 */
@Injectable()
export class AuditIngestService {
  private readonly logger = new Logger(AuditIngestService.name);
  private readonly queue: Array<{
    records: HashedRecord[];
    resolve: (r: { inserted: number; duplicates: number }) => void;
    reject: (err: unknown) => void;
  }> = [];
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly entries: AuditEntryRepository,
    private readonly appended: AppendSignal,
    @Inject(DEAD_LETTER_SINK) private readonly deadLetters: DeadLetterSink,
    @Inject(AUDIT_INGEST_METRICS) private readonly metrics: AuditIngestMetrics,
  ) {}

  async handle(messages: IncomingMessage[]): Promise<IngestSummary> {
    const letters: DeadLetter[] = [];
    const records: Array<{ record: HashedRecord; message: IncomingMessage }> = [];
    let ignored = 0;
    for (const m of messages) {
      const decoded = decodeAuditMessage(m.topic, m.value, m.headers);
      // content hashes now, while another partition's append may hold the chain head: only the link hash waits for it
      if (decoded.kind === 'record') records.push({ record: hashRecord(decoded.record), message: m });
      else if (decoded.kind === 'ignored') {
        ignored++;
        this.metrics.ignored.inc({ why: decoded.why });
      } else letters.push({ message: m, reason: decoded.reason, detail: decoded.detail });
    }

    let inserted = 0;
    let duplicates = 0;
    if (records.length > 0) {
      try {
        ({ inserted, duplicates } = await this.append(records.map((r) => r.record)));
      } catch (err) {
        if (!(err instanceof UnstorableEntryError)) throw err;
        // one bad row fails the whole batch: find it by appending one at a time
        for (const r of records) {
          try {
            const one = await this.append([r.record]);
            inserted += one.inserted;
            duplicates += one.duplicates;
          } catch (e) {
            if (!(e instanceof UnstorableEntryError)) throw e;
            letters.push({ message: r.message, reason: RejectionReasons.unstorable, detail: `SQLSTATE ${e.sqlState}` });
          }
        }
      }
    }

    if (letters.length > 0) {
      await this.deadLetters.send(letters);
      for (const l of letters) {
        this.metrics.rejected.inc({ reason: l.reason });
        this.logger.warn(`dead-lettered ${l.message.topic}[${l.message.partition}]@${l.message.offset} (${l.reason}): ${l.detail}`);
      }
    }
    return { inserted, duplicates, rejected: letters.length, ignored };
  }

  /**
   * Group commit: partitions are consumed concurrently, and every append requested while one transaction runs
   * joins the next one. Appends are serialised on the chain head anyway, so fewer, larger transactions are faster.
   */
  private append(records: HashedRecord[]): Promise<{ inserted: number; duplicates: number }> {
    return new Promise((resolve, reject) => {
      this.queue.push({ records, resolve, reject });
      if (!this.flushing) this.flushing = this.flush();
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const jobs = this.queue.splice(0);
      try {
        const result = await this.appendNow(jobs.flatMap((j) => j.records));
        const fresh = new Set(result.insertedIds);
        for (const j of jobs) {
          let inserted = 0;
          for (const r of j.records) if (fresh.delete(r.record.eventId)) inserted++;
          j.resolve({ inserted, duplicates: j.records.length - inserted });
        }
      } catch (err) {
        if (err instanceof UnstorableEntryError && jobs.length > 1) {
          // isolate the job holding the bad row: each alone (the job itself then splits it further)
          for (const j of jobs) await this.appendNow(j.records).then(
            (r) => j.resolve({ inserted: r.insertedIds.length, duplicates: j.records.length - r.insertedIds.length }),
            (e: unknown) => j.reject(e),
          );
        } else for (const j of jobs) j.reject(err);
      }
    }
    this.flushing = null;
  }

  private async appendNow(records: HashedRecord[]): Promise<{ insertedIds: string[] }> {
    const end = this.metrics.batchSeconds.startTimer();
    const result = await this.entries.append(records);
    end();
    const now = Date.now();
    for (const e of result.inserted) this.metrics.lagSeconds.observe(Math.max(0, now - Date.parse(e.occurredAt)) / 1000);
    if (result.inserted.length > 0) {
      this.metrics.recorded.inc({ outcome: 'inserted' }, result.inserted.length);
      this.appended.emit();
    }
    if (result.duplicates > 0) this.metrics.recorded.inc({ outcome: 'duplicate' }, result.duplicates);
    return { insertedIds: result.inserted.map((e) => e.eventId) };
  }
}
