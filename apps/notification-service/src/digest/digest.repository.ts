import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { autocommit } from '../database/sql';
import { DigestFacts } from '../notices/domain/notice';

const SAMPLE = 20;

type TokenRow = { id: string; owner_id: string; name: string; hint: string; expires_at: Date | null; created_at: Date };

/** The figures of the admin digest, read from the service's view. */
@Injectable()
export class DigestRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async expiringSoon(now: Date, withinDays: number): Promise<{ count: number; sample: TokenRow[] }> {
    const sql = autocommit(this.db);
    const args = [now, new Date(now.getTime() + withinDays * 86_400_000)];
    const [{ n }] = await sql.query<{ n: string }>(`SELECT count(*) AS n FROM notification.tokens WHERE status = 'active' AND expires_at > $1 AND expires_at <= $2`, args);
    const sample = await sql.query<TokenRow>(
      `SELECT id, owner_id, name, hint, expires_at, created_at FROM notification.tokens WHERE status = 'active' AND expires_at > $1 AND expires_at <= $2
        ORDER BY expires_at LIMIT ${SAMPLE}`,
      args,
    );
    return { count: Number(n), sample };
  }

  async neverUsed(now: Date, olderThanDays: number): Promise<{ count: number; sample: TokenRow[] }> {
    const sql = autocommit(this.db);
    const args = [new Date(now.getTime() - olderThanDays * 86_400_000)];
    const [{ n }] = await sql.query<{ n: string }>(`SELECT count(*) AS n FROM notification.tokens WHERE status = 'active' AND last_used_at IS NULL AND created_at < $1`, args);
    const sample = await sql.query<TokenRow>(
      `SELECT id, owner_id, name, hint, expires_at, created_at FROM notification.tokens WHERE status = 'active' AND last_used_at IS NULL AND created_at < $1
        ORDER BY created_at LIMIT ${SAMPLE}`,
      args,
    );
    return { count: Number(n), sample };
  }

  /** denials of the last 24 hours by code, and the daily average of the 7 days before */
  async denials(now: Date): Promise<{ byCode: Record<string, number>; last24h: number; dailyAverage: number }> {
    const sql = autocommit(this.db);
    const rows = await sql.query<{ code: string; n: string }>(
      `SELECT code, sum(count) AS n FROM notification.denials WHERE hour > $1::timestamptz - interval '24 hours' AND hour <= $1 GROUP BY code ORDER BY code`,
      [now],
    );
    const [{ n }] = await sql.query<{ n: string | null }>(
      `SELECT sum(count) AS n FROM notification.denials WHERE hour > $1::timestamptz - interval '8 days' AND hour <= $1::timestamptz - interval '24 hours'`,
      [now],
    );
    const byCode = Object.fromEntries(rows.map((r) => [r.code, Number(r.n)]));
    return { byCode, last24h: rows.reduce((s, r) => s + Number(r.n), 0), dailyAverage: Math.round((Number(n ?? 0) / 7) * 10) / 10 };
  }
}

export const toSample = (r: TokenRow): DigestFacts['neverUsed']['sample'][number] => ({
  id: r.id,
  ownerId: r.owner_id,
  name: r.name,
  hint: r.hint,
  expiresAt: r.expires_at ? r.expires_at.toISOString() : null,
  createdAt: r.created_at.toISOString(),
});
