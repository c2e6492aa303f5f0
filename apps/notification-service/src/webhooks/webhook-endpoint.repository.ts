import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NoticeKind } from '@latchkey/contracts';
import { autocommit, SqlTransaction } from '../database/sql';
import { WebhookEndpoint } from '../preferences/domain/channel-selection';
import { WebhookFormat } from '../delivery/domain/webhook-payload';

interface EndpointRow {
  id: string;
  owner_id: string | null;
  url: string;
  format: WebhookFormat;
  kinds: NoticeKind[];
  active: boolean;
  created_by: string;
  created_at: Date;
}

export interface StoredEndpoint extends WebhookEndpoint {
  createdBy: string;
  createdAt: string;
}

const toEndpoint = (r: EndpointRow): StoredEndpoint => ({
  id: r.id,
  ownerId: r.owner_id,
  url: r.url,
  format: r.format,
  kinds: r.kinds,
  active: r.active,
  createdBy: r.created_by,
  createdAt: r.created_at.toISOString(),
});

const COLUMNS = 'id, owner_id, url, format, kinds, active, created_by, created_at';

/** Webhook endpoints and their signing secrets (the secret is read only to sign; never listed). */
@Injectable()
export class WebhookEndpointRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(e: WebhookEndpoint & { secret: string; createdBy: string }): Promise<StoredEndpoint> {
    const [row] = await autocommit(this.db).query<EndpointRow>(
      `INSERT INTO notification.webhook_endpoints (id, owner_id, url, secret, format, kinds, active, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
      [e.id, e.ownerId, e.url, e.secret, e.format, e.kinds, e.active, e.createdBy],
    );
    return toEndpoint(row);
  }

  /** every active endpoint (there are few: fan-out reads them all) */
  async active(tx: SqlTransaction = autocommit(this.db)): Promise<WebhookEndpoint[]> {
    return (await tx.query<EndpointRow>(`SELECT ${COLUMNS} FROM notification.webhook_endpoints WHERE active ORDER BY created_at`)).map(toEndpoint);
  }

  /** all endpoints, or those of one owner */
  async list(ownerIds: string[] | null): Promise<StoredEndpoint[]> {
    const rows = ownerIds
      ? await autocommit(this.db).query<EndpointRow>(`SELECT ${COLUMNS} FROM notification.webhook_endpoints WHERE owner_id = ANY($1::text[]) ORDER BY created_at`, [ownerIds])
      : await autocommit(this.db).query<EndpointRow>(`SELECT ${COLUMNS} FROM notification.webhook_endpoints ORDER BY created_at`);
    return rows.map(toEndpoint);
  }

  async get(id: string): Promise<StoredEndpoint | null> {
    const [row] = await autocommit(this.db).query<EndpointRow>(`SELECT ${COLUMNS} FROM notification.webhook_endpoints WHERE id = $1`, [id]);
    return row ? toEndpoint(row) : null;
  }

  async secretOf(id: string): Promise<string | null> {
    const [row] = await autocommit(this.db).query<{ secret: string }>('SELECT secret FROM notification.webhook_endpoints WHERE id = $1', [id]);
    return row?.secret ?? null;
  }

  /** deactivates (deliveries keep their history); true if it existed */
  async deactivate(id: string): Promise<boolean> {
    const rows = await autocommit(this.db).query<{ id: string }>('UPDATE notification.webhook_endpoints SET active = false WHERE id = $1 RETURNING id', [id]);
    return rows.length > 0;
  }
}
