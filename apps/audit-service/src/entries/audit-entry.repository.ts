import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor } from '@latchkey/contracts';
import { AUDIT_SERVICE_CONFIG, AuditServiceConfig } from '../config/audit-service.config';
import { AuditEntry, AuditEntryFilter, InsertOutcome, NewAuditEntry, UnstorableEntryError } from './audit-entry';

interface EntryRow {
  id: string;
  event_id: string;
  topic: string;
  type: string;
  aggregate_type: string;
  aggregate_id: string;
  version: number;
  actor: Actor;
  occurred_at: Date;
  recorded_at: Date;
  payload: Record<string, unknown>;
}

// SQLSTATE classes 22 (data exception) and 23 (integrity violation): retrying the same row cannot succeed
const UNSTORABLE_SQLSTATE = /^(22|23)/;

function sqlState(err: unknown): string | undefined {
  const e = err as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.code ?? e?.driverError?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The only place that touches the audit schema. */
@Injectable()
export class AuditEntryRepository {
  private readonly table: string;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(AUDIT_SERVICE_CONFIG) config: AuditServiceConfig,
  ) {
    this.table = `"${config.LATCHKEY_AUDIT_SCHEMA}".entries`;
  }

  /** Idempotent: an event id already recorded is a duplicate, not an error (at-least-once delivery). */
  async insert(e: NewAuditEntry): Promise<InsertOutcome> {
    try {
      const rows = await this.db.query<Array<{ id: string }>>(
        `INSERT INTO ${this.table}
           (event_id, topic, type, aggregate_type, aggregate_id, version, actor, occurred_at, payload)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (event_id) DO NOTHING
         RETURNING id`,
        [
          e.eventId,
          e.topic,
          e.type,
          e.aggregateType,
          e.aggregateId,
          e.version,
          JSON.stringify(e.actor),
          e.occurredAt,
          JSON.stringify(e.payload),
        ],
      );
      return rows.length > 0 ? 'inserted' : 'duplicate';
    } catch (err) {
      const state = sqlState(err);
      if (state && UNSTORABLE_SQLSTATE.test(state)) {
        throw new UnstorableEntryError(state, err instanceof Error ? err.message : String(err));
      }
      throw err;
    }
  }

  async find(f: AuditEntryFilter): Promise<AuditEntry[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (f.tokenId !== undefined) {
      const p = param(f.tokenId);
      where.push(`((aggregate_type = 'token' AND aggregate_id = ${p}) OR actor->>'tokenId' = ${p})`);
    }
    if (f.aggregateId !== undefined) where.push(`aggregate_id = ${param(f.aggregateId)}`);
    if (f.type !== undefined) where.push(`type = ${param(f.type)}`);
    const rows = await this.db.query<EntryRow[]>(
      `SELECT id, event_id, topic, type, aggregate_type, aggregate_id, version, actor, occurred_at, recorded_at, payload
         FROM ${this.table}
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY id
        LIMIT ${param(f.limit)}`,
      params,
    );
    return rows.map(toEntry);
  }

  async count(): Promise<number> {
    const [row] = await this.db.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM ${this.table}`);
    return row.n;
  }

  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }
}

function toEntry(r: EntryRow): AuditEntry {
  return {
    id: Number(r.id),
    eventId: r.event_id,
    topic: r.topic,
    type: r.type,
    aggregateType: r.aggregate_type,
    aggregateId: r.aggregate_id,
    version: r.version,
    actor: r.actor,
    occurredAt: r.occurred_at.toISOString(),
    recordedAt: r.recorded_at.toISOString(),
    payload: r.payload,
  };
}
