import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { autocommit, SqlTransaction } from '../database/sql';

export interface ReminderCandidate {
  id: string;
  ownerId: string;
  name: string;
  hint: string;
  expiresAt: Date;
  remindedDays: number | null;
}

/** The active tokens a reminder pass looks at, and the mark of the reminder sent. */
@Injectable()
export class ReminderRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Active tokens expiring in (now, horizon] that may still owe a reminder (not yet reminded at the smallest
   * threshold), in id order after `afterId`: keyset pages, so one pass reads each token once.
   */
  async candidates(now: Date, horizon: Date, smallestDays: number, afterId: string | null, limit: number): Promise<ReminderCandidate[]> {
    const rows = await autocommit(this.db).query<{ id: string; owner_id: string; name: string; hint: string; expires_at: Date; reminded_days: number | null }>(
      `SELECT id, owner_id, name, hint, expires_at, reminded_days FROM notification.tokens
        WHERE status = 'active' AND expires_at > $1 AND expires_at <= $2
          AND (reminded_days IS NULL OR reminded_days > $3)
          AND ($4::uuid IS NULL OR id > $4::uuid)
        ORDER BY id LIMIT $5`,
      [now, horizon, smallestDays, afterId, limit],
    );
    return rows.map((r) => ({ id: r.id, ownerId: r.owner_id, name: r.name, hint: r.hint, expiresAt: r.expires_at, remindedDays: r.reminded_days }));
  }

  /** remembers the reminder sent, in the transaction that queues it */
  async markReminded(tx: SqlTransaction, reminded: Array<{ id: string; days: number }>): Promise<void> {
    if (reminded.length === 0) return;
    await tx.query(
      `UPDATE notification.tokens t SET reminded_days = r.days
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, days int) WHERE t.id = r.id`,
      [JSON.stringify(reminded)],
    );
  }
}
