import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { Actor, EventEnvelope, TOKEN_AGGREGATE, TokenDetails, TokenLookupResult, TokenManagerQuery, TokenSortKey, TokenView } from '@latchkey/contracts';
import { PgEventStore, ProjectionWrite, SqlTransaction } from '@latchkey/event-store';
import { DecidedEvent } from './domain/token.decider';
import { TokenError, TokenErrorCodes } from './domain/token.errors';

export const TOKEN_EVENT_STORE = Symbol('TOKEN_EVENT_STORE');

const FIND_BY_SECRET_HASH = 'SELECT t.view, s.generation FROM token.token_secrets s JOIN token.tokens t ON t.id = s.token_id WHERE s.secret_hash = $1';

export interface RecordedChange {
  events: DecidedEvent[];
  /** resulting state after each event (same length as events) */
  states: TokenView[];
  actor: Actor;
  occurredAt: Date;
}

export interface TokenUsageUpdate {
  batchId: string;
  tokenId: string;
  count: number;
  lastUsedAt: Date;
  lastIp: string | null;
  userAgent: string | null;
}

interface DetailsRow {
  view: TokenView;
  last_used_at: Date | null;
  last_used_ip: string | null;
  last_used_ua: string | null;
  use_count: string;
  effective_status: TokenView['status'];
  sort_value: string;
}

const DETAILS_COLUMNS = `view, last_used_at, last_used_ip, last_used_ua, use_count::text,
  CASE WHEN status = 'active' AND expires_at <= now() THEN 'expired' ELSE status END AS effective_status`;

/** Sort keys of the token manager: expression, SQL type, and each is backed by an index with id. */
const SORTS: Record<TokenSortKey, { expr: string; type: string }> = {
  created: { expr: 'created_at', type: 'timestamptz' },
  expires: { expr: `coalesce(expires_at, 'infinity'::timestamptz)`, type: 'timestamptz' },
  lastUsed: { expr: `coalesce(last_used_at, '-infinity'::timestamptz)`, type: 'timestamptz' },
  name: { expr: 'lower(name)', type: 'text' },
  owner: { expr: 'owner_id', type: 'text' },
};

export interface ManagerPage {
  items: TokenDetails[];
  nextCursor: string | null;
}

function isUniqueViolation(err: unknown, constraint: string): boolean {
  const e = err as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  return (e.code ?? e.driverError?.code) === '23505' && (e.constraint ?? e.driverError?.constraint) === constraint;
}

/**
 * The only place that touches the token schema: appends token events (with outbox rows) and updates the
 * projection in the same transaction, so a read after a write always sees it.
 */
@Injectable()
export class TokenRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(TOKEN_EVENT_STORE) private readonly events: PgEventStore,
  ) {}

  async findById(id: string): Promise<TokenView | null> {
    const rows = await this.db.query<Array<{ view: TokenView }>>('SELECT view FROM token.tokens WHERE id = $1', [id]);
    return rows[0]?.view ?? null;
  }

  async findDetails(id: string): Promise<TokenDetails | null> {
    const rows = await this.db.query<DetailsRow[]>(`SELECT ${DETAILS_COLUMNS} FROM token.tokens WHERE id = $1`, [id]);
    return rows[0] ? toDetails(rows[0]) : null;
  }

  /**
   * The validators' cache miss (issue 4): a named statement, parsed and planned once per pooled connection, sent
   * straight to TypeORM's pg pool (no query runner per call; TypeORM's error log would also print the HMAC parameter).
   */
  async findBySecretHash(hash: string): Promise<TokenLookupResult | null> {
    const pool = (this.db.driver as PostgresDriver).master as Pool;
    const { rows } = await pool.query<{ view: TokenView; generation: number }>({ name: 'token-by-secret-hash', text: FIND_BY_SECRET_HASH, values: [hash] });
    return rows[0] ? { token: rows[0].view, secretGeneration: rows[0].generation } : null;
  }

  /** Which of these hashes belong to a token, and which: for leaked-token reports. */
  async findBySecretHashes(hashes: string[]): Promise<Array<TokenLookupResult>> {
    if (hashes.length === 0) return [];
    const rows = await this.db.query<Array<{ view: TokenView; generation: number }>>(
      `SELECT t.view, s.generation FROM token.token_secrets s JOIN token.tokens t ON t.id = s.token_id WHERE s.secret_hash = ANY($1)`,
      [hashes],
    );
    return rows.map((r) => ({ token: r.view, secretGeneration: r.generation }));
  }

  async listByOwner(ownerId: string, limit: number): Promise<TokenDetails[]> {
    const rows = await this.db.query<DetailsRow[]>(
      `SELECT ${DETAILS_COLUMNS} FROM token.tokens WHERE owner_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
      [ownerId, limit],
    );
    return rows.map(toDetails);
  }

  async idsByOwner(ownerId: string, onlyActive: boolean): Promise<string[]> {
    const rows = await this.db.query<Array<{ id: string }>>(
      `SELECT id FROM token.tokens WHERE owner_id = $1 ${onlyActive ? `AND status = 'active'` : ''} ORDER BY created_at`,
      [ownerId],
    );
    return rows.map((r) => r.id);
  }

  async activeIdsOfOwners(ownerRefs: string[], createdBefore: Date): Promise<string[]> {
    const rows = await this.db.query<Array<{ id: string }>>(
      `SELECT id FROM token.tokens WHERE owner_id = ANY($1) AND status = 'active' AND created_at < $2 ORDER BY created_at`,
      [ownerRefs, createdBefore.toISOString()],
    );
    return rows.map((r) => r.id);
  }

  async countActiveByOwner(ownerId: string): Promise<number> {
    const rows = await this.db.query<Array<{ n: string }>>(`SELECT count(*)::text AS n FROM token.tokens WHERE owner_id = $1 AND status = 'active'`, [ownerId]);
    return Number(rows[0].n);
  }

  async count(): Promise<number> {
    const rows = await this.db.query<Array<{ n: string }>>('SELECT count(*)::text AS n FROM token.tokens');
    return Number(rows[0].n);
  }

  /** The token manager: filters, one sort key, keyset pagination on (sort value, id). */
  /** @param ownerIn owners to restrict to (a group's members, resolved by the caller from the directory) */
  async listForManager(q: TokenManagerQuery, ownerIn?: string[]): Promise<ManagerPage> {
    const params: unknown[] = [];
    const p = (v: unknown) => `$${params.push(v)}`;
    const where: string[] = [];
    if (q.owner) where.push(`owner_id = ${p(q.owner)}`);
    if (ownerIn) where.push(`owner_id = ANY(${p(ownerIn)})`);
    if (q.name) where.push(`name ILIKE ${p(`%${q.name.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)}`);
    if (q.scope) where.push(`${p(q.scope)} = ANY(scopes)`);
    if (q.status === 'active') where.push(`status = 'active' AND (expires_at IS NULL OR expires_at > now())`);
    if (q.status === 'expired') where.push(`(status = 'expired' OR (status = 'active' AND expires_at <= now()))`);
    if (q.status === 'revoked') where.push(`status = 'revoked'`);
    if (q.createdFrom) where.push(`created_at >= ${p(q.createdFrom)}`);
    if (q.createdTo) where.push(`created_at < ${p(q.createdTo)}`);
    if (q.expiresFrom) where.push(`expires_at >= ${p(q.expiresFrom)}`);
    if (q.expiresTo) where.push(`expires_at < ${p(q.expiresTo)}`);
    if (q.lastUsedFrom) where.push(`last_used_at >= ${p(q.lastUsedFrom)}`);
    if (q.lastUsedTo) where.push(`last_used_at < ${p(q.lastUsedTo)}`);
    if (q.neverUsed !== undefined) where.push(q.neverUsed ? 'last_used_at IS NULL' : 'last_used_at IS NOT NULL');
    if (q.onBehalf !== undefined) where.push(q.onBehalf ? 'created_by <> owner_id' : 'created_by = owner_id');

    const sort = SORTS[q.sort ?? 'created'];
    const desc = (q.order ?? 'desc') === 'desc';
    if (q.cursor) {
      const cursor = decodeCursor(q.cursor);
      where.push(`(${sort.expr}, id) ${desc ? '<' : '>'} (${p(cursor.v)}::${sort.type}, ${p(cursor.id)}::uuid)`);
    }
    const limit = q.limit ?? 50;
    const dir = desc ? 'DESC' : 'ASC';
    const rows = await this.db.query<DetailsRow[]>(
      `SELECT ${DETAILS_COLUMNS}, (${sort.expr})::text AS sort_value FROM token.tokens
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY ${sort.expr} ${dir}, id ${dir} LIMIT ${p(limit + 1)}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toDetails),
      nextCursor: rows.length > limit && last ? encodeCursor({ v: last.sort_value, id: last.view.id }) : null,
    };
  }

  /** Active tokens whose expiry (or warning time) has come: candidates for the scheduler. */
  async dueForExpiry(now: Date, warnDays: number, limit: number): Promise<TokenView[]> {
    const rows = await this.db.query<Array<{ view: TokenView }>>(
      `SELECT view FROM token.tokens
       WHERE status = 'active' AND expires_at IS NOT NULL
         AND (expires_at <= $1 OR (expires_at <= $1::timestamptz + make_interval(days => $2) AND view->>'expiryWarnedAt' IS NULL))
       ORDER BY expires_at LIMIT $3`,
      [now.toISOString(), warnDays, limit],
    );
    return rows.map((r) => r.view);
  }

  /** A new token: its first events, its projection row and the hash of its first secret, atomically. */
  async create(change: RecordedChange, secretHash: string): Promise<EventEnvelope[]> {
    const final = change.states[change.states.length - 1];
    return this.append(final.id, 0, change, async (tx) => {
      await this.upsertProjection(tx, final);
      await tx.query('INSERT INTO token.token_secrets (secret_hash, token_id, generation) VALUES ($1, $2, $3)', [secretHash, final.id, final.secretGeneration]);
    });
  }

  /** Further events on an existing token, checked against the version the decision was made on. */
  async update(expectedVersion: number, change: RecordedChange, newSecretHash?: string): Promise<EventEnvelope[]> {
    const final = change.states[change.states.length - 1];
    if (!newSecretHash) {
      // events, outbox rows and projection in one statement: one round trip for a revoke, rename or expiry
      return this.append(final.id, expectedVersion, change, undefined, projectionUpsert(final));
    }
    return this.append(final.id, expectedVersion, change, async (tx) => {
      await this.upsertProjection(tx, final);
      await tx.query('INSERT INTO token.token_secrets (secret_hash, token_id, generation) VALUES ($1, $2, $3)', [newSecretHash, final.id, final.secretGeneration]);
    });
  }

  /** Applies one usage batch once (batches are delivered at least once). */
  async applyUsage(u: TokenUsageUpdate): Promise<boolean> {
    return this.events.withTransaction(async (tx) => {
      const fresh = await tx.query('INSERT INTO token.usage_batches (batch_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING batch_id', [u.batchId]);
      if (fresh.length === 0) return false;
      await tx.query(
        `UPDATE token.tokens SET use_count = use_count + $2,
           last_used_at = greatest(coalesce(last_used_at, '-infinity'::timestamptz), $3),
           last_used_ip = CASE WHEN last_used_at IS NULL OR $3 >= last_used_at THEN coalesce($4, last_used_ip) ELSE last_used_ip END,
           last_used_ua = CASE WHEN last_used_at IS NULL OR $3 >= last_used_at THEN coalesce($5, last_used_ua) ELSE last_used_ua END
         WHERE id = $1`,
        [u.tokenId, u.count, u.lastUsedAt.toISOString(), u.lastIp, u.userAgent],
      );
      return true;
    });
  }

  async pruneUsageBatches(olderThan: Date): Promise<void> {
    await this.db.query('DELETE FROM token.usage_batches WHERE applied_at < $1', [olderThan.toISOString()]);
  }

  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }

  private async append(
    id: string,
    expectedVersion: number,
    change: RecordedChange,
    inTx: ((tx: SqlTransaction) => Promise<void>) | undefined,
    projection?: ProjectionWrite,
  ): Promise<EventEnvelope[]> {
    try {
      return await this.events.append(
        id,
        TOKEN_AGGREGATE,
        expectedVersion,
        change.events.map((e, i) => ({ type: e.type, data: e.data, actor: change.actor, occurredAt: change.occurredAt, extra: { state: change.states[i] } })),
        inTx,
        projection,
      );
    } catch (err) {
      if (isUniqueViolation(err, 'tokens_active_name_uq')) {
        throw new TokenError(TokenErrorCodes.nameTaken, 'the owner already has an active token with this name');
      }
      throw err;
    }
  }

  private async upsertProjection(tx: SqlTransaction, v: TokenView): Promise<void> {
    await tx.query(`${PROJECTION_INSERT} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ${PROJECTION_ON_CONFLICT}`, projectionValues(v));
  }
}

const PROJECTION_INSERT = 'INSERT INTO token.tokens (id, owner_id, created_by, name, status, scopes, created_at, expires_at, version, view)';
const PROJECTION_ON_CONFLICT = `ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, status = EXCLUDED.status, scopes = EXCLUDED.scopes,
  expires_at = EXCLUDED.expires_at, version = EXCLUDED.version, view = EXCLUDED.view`;
const PROJECTION_TYPES = ['uuid', 'text', 'text', 'text', 'text', 'text[]', 'timestamptz', 'timestamptz', 'int', 'jsonb'];

function projectionValues(v: TokenView): unknown[] {
  return [v.id, v.ownerId, v.createdBy, v.name, v.status, v.scopes, v.createdAt, v.expiresAt, v.version, JSON.stringify(v)];
}

/** the projection upsert as part of the append's statement (only when the append goes ahead) */
function projectionUpsert(v: TokenView): ProjectionWrite {
  return (param, guard) => {
    const values = projectionValues(v).map((value, i) => `${param(value)}::${PROJECTION_TYPES[i]}`);
    return `${PROJECTION_INSERT} SELECT ${values.join(', ')} WHERE ${guard} ${PROJECTION_ON_CONFLICT}`;
  };
}

function toDetails(r: DetailsRow): TokenDetails {
  return {
    ...r.view,
    lastUsedAt: r.last_used_at ? new Date(r.last_used_at).toISOString() : null,
    lastUsedIp: r.last_used_ip,
    lastUsedUserAgent: r.last_used_ua,
    useCount: Number(r.use_count),
    effectiveStatus: r.effective_status,
  };
}

function encodeCursor(c: { v: string; id: string }): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(s: string): { v: string; id: string } {
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as { v?: unknown; id?: unknown };
    if (typeof c.v === 'string' && typeof c.id === 'string' && /^[0-9a-f-]{36}$/.test(c.id)) return { v: c.v, id: c.id };
  } catch {
    // fall through
  }
  throw new TokenError(TokenErrorCodes.invalidCursor, 'cursor is not one this API returned');
}
