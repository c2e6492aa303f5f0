import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DirectoryGroupState, DirectoryUserState, TokenView } from '@latchkey/contracts';
import { autocommit, SqlTransaction } from '../database/sql';
import { Recipient } from '../preferences/domain/channel-selection';

/** The primary e-mail of a SCIM user: the one marked primary, else a work one, else the first. */
export function primaryEmail(user: Pick<DirectoryUserState, 'emails'>): string | null {
  const emails = user.emails ?? [];
  const chosen = emails.find((e) => e.primary) ?? emails.find((e) => e.type === 'work') ?? emails[0];
  return chosen?.value ?? null;
}

/**
 * The service's own view of the other services' state, built from their events: users (with the e-mail to write
 * to), groups (who the admins are), tokens (what to remind about), denials per hour and last use (the digest),
 * and the ids of the events already applied (idempotency).
 */
@Injectable()
export class ViewRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** true the first time an event id is seen; commits with the rest of the transaction */
  async firstTime(tx: SqlTransaction, eventId: string): Promise<boolean> {
    const rows = await tx.query<{ event_id: string }>(
      'INSERT INTO notification.processed_events (event_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING event_id',
      [eventId],
    );
    return rows.length > 0;
  }

  /** applies a token state unless a newer one is already applied; true if applied */
  async upsertToken(tx: SqlTransaction, t: TokenView): Promise<boolean> {
    const rows = await tx.query<{ id: string }>(
      `INSERT INTO notification.tokens (id, owner_id, name, hint, status, created_at, expires_at, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (id) DO UPDATE SET owner_id = EXCLUDED.owner_id, name = EXCLUDED.name, hint = EXCLUDED.hint, status = EXCLUDED.status,
         expires_at = EXCLUDED.expires_at, version = EXCLUDED.version,
         -- a new expiry (a rotation that extends it) starts the reminders again
         reminded_days = CASE WHEN notification.tokens.expires_at IS DISTINCT FROM EXCLUDED.expires_at THEN NULL ELSE notification.tokens.reminded_days END
       WHERE notification.tokens.version < EXCLUDED.version
       RETURNING id`,
      [t.id, t.ownerId, t.name, t.hint, t.status, t.createdAt, t.expiresAt, t.version],
    );
    return rows.length > 0;
  }

  async upsertUser(tx: SqlTransaction, u: DirectoryUserState): Promise<void> {
    await tx.query(
      `INSERT INTO notification.users (id, user_name, display_name, email, active, version) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO UPDATE SET user_name = EXCLUDED.user_name, display_name = EXCLUDED.display_name, email = EXCLUDED.email,
         active = EXCLUDED.active, version = EXCLUDED.version
       WHERE notification.users.version < EXCLUDED.version`,
      [u.id, u.userName, u.displayName, primaryEmail(u), u.active && !u.deleted, u.version],
    );
  }

  async upsertGroup(tx: SqlTransaction, g: DirectoryGroupState): Promise<void> {
    await tx.query(
      `INSERT INTO notification.groups (id, display_name, member_ids, deleted, version) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET display_name = EXCLUDED.display_name, member_ids = EXCLUDED.member_ids, deleted = EXCLUDED.deleted,
         version = EXCLUDED.version
       WHERE notification.groups.version < EXCLUDED.version`,
      [g.id, g.displayName, g.members.map((m) => m.value), g.deleted, g.version],
    );
  }

  async countDenial(tx: SqlTransaction, occurredAt: string, code: string, count: number): Promise<void> {
    await tx.query(
      `INSERT INTO notification.denials (hour, code, count) VALUES (date_trunc('hour', $1::timestamptz), $2, $3)
       ON CONFLICT (hour, code) DO UPDATE SET count = notification.denials.count + EXCLUDED.count`,
      [occurredAt, code, count],
    );
  }

  async recordUse(tx: SqlTransaction, tokenId: string, lastUsedAt: string): Promise<void> {
    await tx.query(
      `UPDATE notification.tokens SET last_used_at = GREATEST(coalesce(last_used_at, $2::timestamptz), $2::timestamptz) WHERE id = $1::uuid`,
      [tokenId, lastUsedAt],
    );
  }

  /**
   * The users behind the given ids: a token's ownerId is the directory's immutable id or (older tokens) the
   * user name, so both are matched. Keyed by the id asked for.
   */
  async recipients(ids: string[], tx: SqlTransaction = autocommit(this.db)): Promise<Map<string, Recipient>> {
    const out = new Map<string, Recipient>();
    if (ids.length === 0) return out;
    const rows = await tx.query<{ asked: string; id: string; user_name: string; email: string | null; active: boolean }>(
      `SELECT a.asked, u.id, u.user_name, u.email, u.active
         FROM unnest($1::text[]) AS a(asked)
         JOIN LATERAL (SELECT * FROM notification.users u WHERE u.id = a.asked OR lower(u.user_name) = lower(a.asked)
                        ORDER BY (u.id = a.asked) DESC, u.active DESC, u.version DESC LIMIT 1) u ON true`,
      [[...new Set(ids)]],
    );
    for (const r of rows) out.set(r.asked, { id: r.id, userName: r.user_name, email: r.email, active: r.active });
    return out;
  }

  /** e-mail addresses of the active members of a directory group (the admin group) */
  async groupEmails(displayName: string, tx: SqlTransaction = autocommit(this.db)): Promise<string[]> {
    const rows = await tx.query<{ email: string }>(
      `SELECT DISTINCT u.email FROM notification.groups g JOIN notification.users u ON u.id = ANY(g.member_ids)
        WHERE lower(g.display_name) = lower($1) AND NOT g.deleted AND u.active AND u.email IS NOT NULL`,
      [displayName],
    );
    return rows.map((r) => r.email);
  }
}
