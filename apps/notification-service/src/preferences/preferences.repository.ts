import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NoticeKind, NotificationChannel } from '@latchkey/contracts';
import { autocommit, SqlTransaction, withTransaction } from '../database/sql';
import { MandatoryNotice, Preference } from './domain/channel-selection';

interface PreferenceRow {
  user_id: string;
  kind: NoticeKind;
  channel: NotificationChannel;
  enabled: boolean;
}

/** Users' preferences and the admins' mandatory notices (schema notification). */
@Injectable()
export class PreferencesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** preferences of several users at once, by any of the ids they are known by */
  async forUsers(userIds: string[], tx: SqlTransaction = autocommit(this.db)): Promise<Map<string, Preference[]>> {
    const out = new Map<string, Preference[]>();
    if (userIds.length === 0) return out;
    const rows = await tx.query<PreferenceRow>('SELECT user_id, kind, channel, enabled FROM notification.preferences WHERE user_id = ANY($1::text[])', [userIds]);
    for (const r of rows) {
      const list = out.get(r.user_id) ?? [];
      list.push({ kind: r.kind, channel: r.channel, enabled: r.enabled });
      out.set(r.user_id, list);
    }
    return out;
  }

  async replaceForUser(userId: string, prefs: Preference[]): Promise<void> {
    await withTransaction(this.db, async (tx) => {
      await tx.query('DELETE FROM notification.preferences WHERE user_id = $1', [userId]);
      if (prefs.length === 0) return;
      await tx.query(
        `INSERT INTO notification.preferences (user_id, kind, channel, enabled)
         SELECT $1, p.kind, p.channel, p.enabled FROM jsonb_to_recordset($2::jsonb) AS p(kind text, channel text, enabled boolean)`,
        [userId, JSON.stringify(prefs)],
      );
    });
  }

  async mandatory(tx: SqlTransaction = autocommit(this.db)): Promise<MandatoryNotice[]> {
    return tx.query<MandatoryNotice>('SELECT kind, channel FROM notification.mandatory_notices ORDER BY kind, channel');
  }

  async replaceMandatory(list: MandatoryNotice[]): Promise<void> {
    await withTransaction(this.db, async (tx) => {
      await tx.query('DELETE FROM notification.mandatory_notices');
      if (list.length === 0) return;
      await tx.query(
        `INSERT INTO notification.mandatory_notices (kind, channel)
         SELECT DISTINCT m.kind, m.channel FROM jsonb_to_recordset($1::jsonb) AS m(kind text, channel text)`,
        [JSON.stringify(list)],
      );
    });
  }
}
