import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { withTransaction } from '@latchkey/event-store';
import { AUDIT_SERVICE_CONFIG, AuditServiceConfig } from '../config/audit-service.config';
import { AuditEntryRepository } from '../entries/audit-entry.repository';
import { AuditEntry } from '../entries/domain/audit-record';

/**
 * The SIEM feed's position in the chain. Entries are its outbox: positions are gap-free and become visible in
 * order (appends are serialised on the chain head), so a cursor cannot skip a row, unlike a BIGSERIAL outbox.
 */
@Injectable()
export class SiemFeedRepository {
  private readonly s: string;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly entries: AuditEntryRepository,
    @Inject(AUDIT_SERVICE_CONFIG) config: AuditServiceConfig,
  ) {
    this.s = `"${config.LATCHKEY_AUDIT_SCHEMA}"`;
  }

  /**
   * Locks the cursor (one publisher at a time across replicas; others skip), hands the next entries to publish,
   * and moves the cursor past them only if publish resolved. Returns how many were published.
   */
  async publishNext(limit: number, publish: (entries: AuditEntry[]) => Promise<void>): Promise<number> {
    return withTransaction(this.db, async (tx) => {
      const rows = await tx.query<{ seq: string }>(`SELECT seq FROM ${this.s}.siem_cursor WHERE id = 1 FOR UPDATE SKIP LOCKED`);
      if (rows.length === 0) return 0;
      const batch = await this.entries.readChain(Number(rows[0].seq), limit);
      if (batch.length === 0) return 0;
      await publish(batch);
      await tx.query(`UPDATE ${this.s}.siem_cursor SET seq = $1, updated_at = now() WHERE id = 1`, [batch[batch.length - 1].seq]);
      return batch.length;
    });
  }

  /** entries not published yet */
  async backlog(): Promise<number> {
    const [row] = await this.db.query<Array<{ n: string }>>(
      `SELECT (h.seq - c.seq) AS n FROM ${this.s}.chain_head h, ${this.s}.siem_cursor c WHERE h.id = 1 AND c.id = 1`,
    );
    return Number(row.n);
  }
}
