import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SqlTransaction, withTransaction } from '@latchkey/event-store';
import { AUDIT_SERVICE_CONFIG, AuditServiceConfig } from '../config/audit-service.config';
import { ChainHead, linkAfter } from '../chain/domain/hash-chain';
import { AuditEntry, AuditRecord, HashedRecord, PRUNABLE_CATEGORIES } from './domain/audit-record';

export interface AuditEntryFilter {
  actor?: string;
  owner?: string;
  /** entries about this token, or made with it */
  tokenId?: string;
  aggregateId?: string;
  action?: string;
  outcome?: 'success' | 'failure';
  ip?: string;
  from?: Date;
  to?: Date;
  /** newest first: only entries before this position */
  beforeSeq?: number;
}

/** What an append reports of each new entry (not the whole row: appends are the hot path). */
export interface AppendedEntry {
  seq: number;
  eventId: string;
  occurredAt: string;
}

export interface AppendResult {
  inserted: AppendedEntry[];
  duplicates: number;
  head: ChainHead;
}

/** The database refused a row as data (not an outage): retrying it cannot succeed. */
export class UnstorableEntryError extends Error {
  constructor(readonly sqlState: string, message: string) {
    super(message);
    this.name = 'UnstorableEntryError';
  }
}

// SQLSTATE classes 22 (data exception) and 23 (integrity violation)
const UNSTORABLE_SQLSTATE = /^(22|23)/;

function sqlState(err: unknown): string | undefined {
  const e = err as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.code ?? e?.driverError?.code;
  return typeof code === 'string' ? code : undefined;
}

interface EntryRow {
  seq: string;
  event_id: string;
  topic: string;
  type: string;
  category: AuditEntry['category'];
  action: string;
  outcome: AuditEntry['outcome'];
  reason: string | null;
  aggregate_type: string;
  aggregate_id: string;
  version: number | null;
  occurred_at: Date;
  recorded_at: Date;
  actor_id: string | null;
  actor_via: string | null;
  actor_token_id: string | null;
  on_behalf_of: string | null;
  owner_id: string | null;
  token_id: string | null;
  user_id: string | null;
  group_id: string | null;
  source_ip: string | null;
  user_agent: string | null;
  payload: Record<string, unknown> | null;
  prev_hash: string;
  detail_hash: string;
  content_hash: string;
  hash: string;
  erased_at: Date | null;
}

const COLUMNS = `seq, event_id, topic, type, category, action, outcome, reason, aggregate_type, aggregate_id, version,
  occurred_at, recorded_at, actor_id, actor_via, actor_token_id, on_behalf_of, owner_id, token_id, user_id, group_id,
  source_ip, user_agent, payload, prev_hash, detail_hash, content_hash, hash, erased_at`;

/** The only place that touches the audit entries and the chain head. */
@Injectable()
export class AuditEntryRepository {
  private readonly s: string;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(AUDIT_SERVICE_CONFIG) config: AuditServiceConfig,
  ) {
    this.s = `"${config.LATCHKEY_AUDIT_SCHEMA}"`;
  }

  /**
   * Appends the records not stored yet, chained after the current head, in one transaction. The head row is
   * locked first, so one writer at a time appends (any number of replicas) and the duplicate check cannot race.
   */
  async append(records: HashedRecord[]): Promise<AppendResult> {
    try {
      return await withTransaction(this.db, (tx) => this.appendIn(tx, records));
    } catch (err) {
      const state = sqlState(err);
      if (state && UNSTORABLE_SQLSTATE.test(state)) {
        throw new UnstorableEntryError(state, err instanceof Error ? err.message : String(err));
      }
      throw err;
    }
  }

  private async appendIn(tx: SqlTransaction, hashed: HashedRecord[]): Promise<AppendResult> {
    const records = hashed.map((h) => h.record);
    const [headRow] = await tx.query<{ seq: string; hash: string }>(
      `SELECT seq, hash FROM ${this.s}.chain_head WHERE id = 1 FOR UPDATE`,
    );
    let head: ChainHead = { seq: Number(headRow.seq), hash: headRow.hash };
    const ids = [...new Set(records.map((r) => r.eventId))];
    const existing = new Set(
      (await tx.query<{ event_id: string }>(`SELECT event_id FROM ${this.s}.entries WHERE event_id = ANY($1::text[])`, [ids])).map(
        (r) => r.event_id,
      ),
    );
    const fresh: AuditRecord[] = [];
    const freshHashes: HashedRecord['hashes'][] = [];
    for (const h of hashed) {
      if (existing.has(h.record.eventId)) continue;
      existing.add(h.record.eventId); // the same event twice in one batch
      fresh.push(h.record);
      freshHashes.push(h.hashes);
    }
    if (fresh.length === 0) return { inserted: [], duplicates: records.length, head };
    const chained = linkAfter(head, freshHashes);
    const col = <T>(f: (r: AuditRecord, i: number) => T) => fresh.map(f);
    const link = (i: number) => chained.links[i];
    head = chained.head;
    // the new head is written by the same statement: one round trip fewer while the chain head is locked
    await tx.query(
      `WITH ins AS (
         INSERT INTO ${this.s}.entries (seq, event_id, topic, type, category, action, outcome, reason, aggregate_type,
           aggregate_id, version, occurred_at, recorded_at, actor_id, actor_via, actor_token_id, on_behalf_of, owner_id,
           token_id, user_id, group_id, source_ip, user_agent, payload, prev_hash, detail_hash, content_hash, hash)
         SELECT u.seq, u.event_id, u.topic, u.type, u.category, u.action, u.outcome, u.reason, u.aggregate_type,
           u.aggregate_id, u.version, u.occurred_at, clock_timestamp(), u.actor_id, u.actor_via, u.actor_token_id,
           u.on_behalf_of, u.owner_id, u.token_id, u.user_id, u.group_id, u.source_ip, u.user_agent, u.payload,
           u.prev_hash, u.detail_hash, u.content_hash, u.hash
           FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
             $9::text[], $10::text[], $11::int[], $12::timestamptz[], $13::text[], $14::text[], $15::text[], $16::text[],
             $17::text[], $18::text[], $19::text[], $20::text[], $21::text[], $22::text[], $23::jsonb[], $24::text[],
             $25::text[], $26::text[], $27::text[])
             AS u(seq, event_id, topic, type, category, action, outcome, reason, aggregate_type, aggregate_id, version,
               occurred_at, actor_id, actor_via, actor_token_id, on_behalf_of, owner_id, token_id, user_id, group_id,
               source_ip, user_agent, payload, prev_hash, detail_hash, content_hash, hash)
       )
       UPDATE ${this.s}.chain_head SET seq = $28, hash = $29, updated_at = now() WHERE id = 1`,
      [
        col((_, i) => link(i).seq),
        col((r) => r.eventId),
        col((r) => r.topic),
        col((r) => r.type),
        col((r) => r.category),
        col((r) => r.action),
        col((r) => r.outcome),
        col((r) => r.reason),
        col((r) => r.aggregateType),
        col((r) => r.aggregateId),
        col((r) => r.version),
        col((r) => r.occurredAt),
        col((r) => r.actorId),
        col((r) => r.actorVia),
        col((r) => r.actorTokenId),
        col((r) => r.onBehalfOf),
        col((r) => r.ownerId),
        col((r) => r.tokenId),
        col((r) => r.userId),
        col((r) => r.groupId),
        col((r) => r.ip),
        col((r) => r.userAgent),
        col((r) => JSON.stringify(r.payload)),
        col((_, i) => link(i).prevHash),
        col((_, i) => link(i).detailHash),
        col((_, i) => link(i).contentHash),
        col((_, i) => link(i).hash),
        head.seq,
        head.hash,
      ],
    );
    // every fresh record was inserted (or the statement failed): no RETURNING rows to read back and parse
    const inserted = fresh.map((r, i) => ({ seq: link(i).seq, eventId: r.eventId, occurredAt: r.occurredAt }));
    return { inserted, duplicates: records.length - fresh.length, head };
  }

  /** Newest first, at most limit entries matching every filter; entries whose detail was erased are left out. */
  async find(f: AuditEntryFilter, limit: number): Promise<AuditEntry[]> {
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const where = ['erased_at IS NULL'];
    if (f.actor !== undefined) where.push(`actor_id = ${p(f.actor)}`);
    if (f.owner !== undefined) where.push(`owner_id = ${p(f.owner)}`);
    if (f.tokenId !== undefined) {
      const t = p(f.tokenId);
      where.push(`(token_id = ${t} OR actor_token_id = ${t})`);
    }
    if (f.aggregateId !== undefined) where.push(`aggregate_id = ${p(f.aggregateId)}`);
    if (f.action !== undefined) where.push(`action = ${p(f.action)}`);
    if (f.outcome !== undefined) where.push(`outcome = ${p(f.outcome)}`);
    if (f.ip !== undefined) where.push(`source_ip = ${p(f.ip)}`);
    if (f.from !== undefined) where.push(`occurred_at >= ${p(f.from)}`);
    if (f.to !== undefined) where.push(`occurred_at < ${p(f.to)}`);
    if (f.beforeSeq !== undefined) where.push(`seq < ${p(f.beforeSeq)}`);
    const rows = await this.db.query<EntryRow[]>(
      `SELECT ${COLUMNS} FROM ${this.s}.entries WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT ${p(limit)}`,
      params,
    );
    return rows.map(toEntry);
  }

  /** Every matching entry, newest first, read a page at a time (never the whole result in memory). */
  async *stream(f: AuditEntryFilter, pageSize = 1000): AsyncGenerator<AuditEntry> {
    let beforeSeq = f.beforeSeq;
    for (;;) {
      const page = await this.find({ ...f, beforeSeq }, pageSize);
      yield* page;
      if (page.length < pageSize) return;
      beforeSeq = page[page.length - 1].seq;
    }
  }

  /** Entries in chain order after a position (erased ones included), for verification and the SIEM feed. */
  async readChain(afterSeq: number, limit: number, toSeq?: number): Promise<AuditEntry[]> {
    const rows = await this.db.query<EntryRow[]>(
      `SELECT ${COLUMNS} FROM ${this.s}.entries WHERE seq > $1 ${toSeq !== undefined ? 'AND seq <= $3' : ''}
        ORDER BY seq LIMIT $2`,
      toSeq !== undefined ? [afterSeq, limit, toSeq] : [afterSeq, limit],
    );
    return rows.map(toEntry);
  }

  async entryAt(seq: number): Promise<AuditEntry | null> {
    const rows = await this.db.query<EntryRow[]>(`SELECT ${COLUMNS} FROM ${this.s}.entries WHERE seq = $1`, [seq]);
    return rows.length > 0 ? toEntry(rows[0]) : null;
  }

  async head(): Promise<ChainHead> {
    const [row] = await this.db.query<Array<{ seq: string; hash: string }>>(`SELECT seq, hash FROM ${this.s}.chain_head WHERE id = 1`);
    return { seq: Number(row.seq), hash: row.hash };
  }

  /**
   * Retention: erases payload, IP and user agent of denial and usage entries older than the cut-off, at most
   * limit rows. The chain keeps their hash (detail_hash), so it stays verifiable. Returns how many were erased.
   */
  async eraseDetailsBefore(cutoff: Date, limit: number): Promise<number> {
    return withTransaction(this.db, async (tx) => {
      await tx.query(`SELECT set_config('latchkey.audit_erase', 'on', true)`);
      const rows = await tx.query<{ seq: string }>(
        `UPDATE ${this.s}.entries SET payload = NULL, source_ip = NULL, user_agent = NULL, erased_at = now()
          WHERE seq IN (
            SELECT seq FROM ${this.s}.entries
             WHERE erased_at IS NULL AND category = ANY($1::text[]) AND occurred_at < $2
             ORDER BY occurred_at LIMIT $3)
          RETURNING seq`,
        [PRUNABLE_CATEGORIES, cutoff, limit],
      );
      return rows.length;
    });
  }

  async count(): Promise<number> {
    const [row] = await this.db.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM ${this.s}.entries`);
    return row.n;
  }

  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }
}

function toEntry(r: EntryRow): AuditEntry {
  return {
    seq: Number(r.seq),
    eventId: r.event_id,
    topic: r.topic,
    type: r.type,
    category: r.category,
    action: r.action,
    outcome: r.outcome,
    reason: r.reason,
    aggregateType: r.aggregate_type,
    aggregateId: r.aggregate_id,
    version: r.version,
    occurredAt: r.occurred_at.toISOString(),
    recordedAt: r.recorded_at.toISOString(),
    actorId: r.actor_id,
    actorVia: r.actor_via,
    actorTokenId: r.actor_token_id,
    onBehalfOf: r.on_behalf_of,
    ownerId: r.owner_id,
    tokenId: r.token_id,
    userId: r.user_id,
    groupId: r.group_id,
    ip: r.source_ip,
    userAgent: r.user_agent,
    payload: r.payload,
    prevHash: r.prev_hash,
    detailHash: r.detail_hash,
    contentHash: r.content_hash,
    hash: r.hash,
    erasedAt: r.erased_at ? r.erased_at.toISOString() : null,
  };
}
