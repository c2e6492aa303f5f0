import { Actor, EventEnvelope, EventHeaders } from '@latchkey/contracts';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { LOCAL_APPEND_ORIGIN, signalLocalAppend } from './local-append-signal';
import { checkSchemaName, outboxChannel } from './schema';
import { SqlTransaction, withTransaction } from './sql-transaction';
import { StreamVersionConflictError } from './stream-version-conflict.error';

export interface NewEvent {
  type: string;
  actor: Actor;
  data: unknown;
  /** extra top-level envelope fields, e.g. a token event's `state` */
  extra?: Record<string, unknown>;
  occurredAt?: Date;
}

/**
 * A projection write made by the append's own statement (a data-modifying CTE), so an append with its projection
 * is one round trip and needs no transaction. Returns one INSERT/UPDATE; `param(value)` adds a parameter and
 * answers its placeholder; `guard` is a SQL condition true only when the append goes ahead (put it in the
 * statement's WHERE, e.g. `INSERT ... SELECT ... WHERE ${guard} ON CONFLICT ...`).
 */
export type ProjectionWrite = (param: (value: unknown) => string, guard: string) => string;

export interface PgEventStoreOptions {
  schema: string;
  /** the Kafka topic of an aggregate type's events */
  topicFor: (aggregateType: string) => string;
  now?: () => Date;
  newEventId?: () => string;
}

const ENVELOPE_KEYS = new Set(['eventId', 'type', 'aggregateType', 'aggregateId', 'version', 'occurredAt', 'actor', 'data']);

interface PgError {
  code?: string;
  constraint?: string;
  driverError?: { code?: string; constraint?: string };
}

function isStreamVersionViolation(err: unknown): boolean {
  const e = (err ?? {}) as PgError;
  const code = e.code ?? e.driverError?.code;
  const constraint = e.constraint ?? e.driverError?.constraint;
  return code === '23505' && constraint === 'events_stream_version_key';
}

/**
 * One statement (one round trip) for the version check, the events, their outbox rows (ids in version order, so
 * the relay publishes them in order) and the NOTIFY, which is delivered on commit only, so the relay never wakes
 * for rows it cannot see yet. Nothing is written when the stream is not at $3; the caller then throws and rolls back.
 * A concurrent append of the same version blocks on the unique (stream_id, version) index, then fails with 23505.
 * $1 stream, $2 aggregate type, $3 expected version, $4 the events as a JSON array, $5 topic, $6 NOTIFY channel,
 * $7 NOTIFY payload (this process, see local-append-signal).
 */

function appendSql(schema: string, projection = ''): string {
  return `WITH current AS (
      SELECT coalesce(max(version), 0)::int AS version FROM ${schema}.events WHERE stream_id = $1
    ), incoming AS (
      SELECT e.* FROM jsonb_to_recordset($4::jsonb)
        AS e(event_id uuid, version int, type text, occurred_at timestamptz, actor jsonb, envelope jsonb, headers jsonb)
      WHERE (SELECT version FROM current) = $3
    ), appended AS (
      INSERT INTO ${schema}.events (stream_id, aggregate_type, version, event_id, type, occurred_at, actor, data)
      SELECT $1, $2, version, event_id, type, occurred_at, actor, envelope FROM incoming ORDER BY version
    ), queued AS (
      INSERT INTO ${schema}.outbox (event_id, topic, message_key, payload, headers)
      SELECT event_id, $5, $1, envelope, headers FROM incoming ORDER BY version
    )${projection ? `, projected AS (${projection})` : ''}
    SELECT (SELECT version FROM current) AS current_version, pg_notify($6, $7) AS notified`;
}

/**
 * Event store with optimistic concurrency per stream and a transactional outbox, in one service's schema.
 * An append writes its events and their outbox rows in one transaction; OutboxRelay publishes the rows.
 */
export class PgEventStore {
  private readonly schema: string;
  private readonly now: () => Date;
  private readonly newEventId: () => string;
  private readonly appendSql: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: PgEventStoreOptions,
  ) {
    this.schema = `"${checkSchemaName(options.schema)}"`;
    this.now = options.now ?? (() => new Date());
    this.newEventId = options.newEventId ?? (() => uuidv7());
    this.appendSql = appendSql(this.schema);
  }

  /**
   * Appends events at expectedVersion + 1.. (0 = a new stream), with their outbox rows and whatever
   * inTransaction writes (a projection), atomically. A stale expectedVersion, or losing a race for the same
   * version, throws StreamVersionConflictError: never an overwrite.
   */
  async append(
    streamId: string,
    aggregateType: string,
    expectedVersion: number,
    events: NewEvent[],
    inTransaction?: (tx: SqlTransaction) => Promise<void>,
    projection?: ProjectionWrite,
  ): Promise<EventEnvelope[]> {
    if (!Number.isInteger(expectedVersion) || expectedVersion < 0) {
      throw new Error(`expectedVersion must be an integer >= 0, got ${expectedVersion}`);
    }
    if (events.length === 0) throw new Error('append needs at least one event');
    const envelopes = events.map((e, i) => this.envelope(streamId, aggregateType, expectedVersion + 1 + i, e));
    const rows = envelopes.map((env) => ({
      event_id: env.eventId,
      version: env.version,
      type: env.type,
      occurred_at: env.occurredAt,
      actor: env.actor,
      envelope: env,
      headers: { [EventHeaders.eventId]: env.eventId, [EventHeaders.type]: env.type, [EventHeaders.aggregateType]: aggregateType },
    }));
    const params: unknown[] = [
      streamId,
      aggregateType,
      expectedVersion,
      JSON.stringify(rows),
      this.options.topicFor(aggregateType),
      outboxChannel(this.options.schema),
      LOCAL_APPEND_ORIGIN,
    ];
    let sql = this.appendSql;
    if (projection) {
      const param = (value: unknown) => `$${params.push(value)}`;
      sql = appendSql(this.schema, projection(param, '(SELECT version FROM current) = $3'));
    }
    const run = async (tx: SqlTransaction) => {
      const [{ current_version }] = await tx.query<{ current_version: number }>(sql, params);
      if (current_version !== expectedVersion) throw new StreamVersionConflictError(streamId, expectedVersion, current_version);
    };
    try {
      if (inTransaction) {
        await this.withTransaction(async (tx) => {
          await run(tx);
          await inTransaction(tx);
        });
      } else {
        // one statement is atomic by itself: no BEGIN/COMMIT round trips (nothing is written on a version mismatch)
        await run({ query: (text, values) => this.dataSource.query(text, values) });
      }
      signalLocalAppend(this.options.schema);
    } catch (err) {
      if (isStreamVersionViolation(err)) {
        const actual = await this.streamVersion(streamId).catch(() => undefined);
        throw new StreamVersionConflictError(streamId, expectedVersion, actual);
      }
      throw err;
    }
    return envelopes;
  }

  /** The stream's events, ordered by version (with any extra top-level fields they were appended with). */
  async readStream(streamId: string): Promise<EventEnvelope[]> {
    const rows: Array<{ data: EventEnvelope }> = await this.dataSource.query(
      `SELECT data FROM ${this.schema}.events WHERE stream_id = $1 ORDER BY version`,
      [streamId],
    );
    return rows.map((r) => r.data);
  }

  /** The stream's current version: 0 when it has no events. */
  async streamVersion(streamId: string): Promise<number> {
    return this.currentVersion({ query: (sql, params) => this.dataSource.query(sql, params) }, streamId);
  }

  withTransaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    return withTransaction(this.dataSource, fn);
  }

  private async currentVersion(tx: SqlTransaction, streamId: string): Promise<number> {
    const [row] = await tx.query<{ version: number }>(
      `SELECT coalesce(max(version), 0)::int AS version FROM ${this.schema}.events WHERE stream_id = $1`,
      [streamId],
    );
    return row.version;
  }

  private envelope(streamId: string, aggregateType: string, version: number, e: NewEvent): EventEnvelope {
    const extra = e.extra ?? {};
    const clash = Object.keys(extra).find((k) => ENVELOPE_KEYS.has(k));
    if (clash) throw new Error(`extra envelope field "${clash}" would override a standard field`);
    return {
      eventId: this.newEventId(),
      type: e.type,
      aggregateType,
      aggregateId: streamId,
      version,
      occurredAt: (e.occurredAt ?? this.now()).toISOString(),
      actor: e.actor,
      data: e.data,
      ...extra,
    };
  }
}
