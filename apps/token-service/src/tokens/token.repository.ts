import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor, TOKEN_AGGREGATE, TokenLookupResult, TokenView } from '@latchkey/contracts';
import { PgEventStore, SqlTransaction } from '@latchkey/event-store';
import { DecidedEvent } from './domain/token.decider';

export const TOKEN_EVENT_STORE = Symbol('TOKEN_EVENT_STORE');

export interface RecordedChange {
  events: DecidedEvent[];
  /** resulting state after each event (same length as events) */
  states: TokenView[];
  actor: Actor;
  occurredAt: Date;
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

  async findBySecretHash(hash: string): Promise<TokenLookupResult | null> {
    const rows = await this.db.query<Array<{ view: TokenView; generation: number }>>(
      `SELECT t.view, s.generation FROM token.token_secrets s JOIN token.tokens t ON t.id = s.token_id WHERE s.secret_hash = $1`,
      [hash],
    );
    return rows[0] ? { token: rows[0].view, secretGeneration: rows[0].generation } : null;
  }

  async listByOwner(ownerId: string, limit: number): Promise<TokenView[]> {
    const rows = await this.db.query<Array<{ view: TokenView }>>(
      'SELECT view FROM token.tokens WHERE owner_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2',
      [ownerId, limit],
    );
    return rows.map((r) => r.view);
  }

  async count(): Promise<number> {
    const rows = await this.db.query<Array<{ n: string }>>('SELECT count(*)::text AS n FROM token.tokens');
    return Number(rows[0].n);
  }

  /** A new token: its first events, its projection row and the hash of its first secret, atomically. */
  async create(change: RecordedChange, secretHash: string): Promise<void> {
    const final = change.states[change.states.length - 1];
    await this.append(final.id, 0, change, async (tx) => {
      await this.upsertProjection(tx, final);
      await tx.query('INSERT INTO token.token_secrets (secret_hash, token_id, generation) VALUES ($1, $2, $3)', [secretHash, final.id, final.secretGeneration]);
    });
  }

  /** Further events on an existing token, checked against the version the decision was made on. */
  async update(expectedVersion: number, change: RecordedChange): Promise<void> {
    const final = change.states[change.states.length - 1];
    await this.append(final.id, expectedVersion, change, (tx) => this.upsertProjection(tx, final));
  }

  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }

  private async append(id: string, expectedVersion: number, change: RecordedChange, inTx: (tx: SqlTransaction) => Promise<void>) {
    await this.events.append(
      id,
      TOKEN_AGGREGATE,
      expectedVersion,
      change.events.map((e, i) => ({ type: e.type, data: e.data, actor: change.actor, occurredAt: change.occurredAt, extra: { state: change.states[i] } })),
      inTx,
    );
  }

  private async upsertProjection(tx: SqlTransaction, v: TokenView): Promise<void> {
    await tx.query(
      `INSERT INTO token.tokens (id, owner_id, created_by, name, status, scopes, created_at, expires_at, version, view)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, status = EXCLUDED.status, scopes = EXCLUDED.scopes,
         expires_at = EXCLUDED.expires_at, version = EXCLUDED.version, view = EXCLUDED.view`,
      [v.id, v.ownerId, v.createdBy, v.name, v.status, v.scopes, v.createdAt, v.expiresAt, v.version, JSON.stringify(v)],
    );
  }
}
