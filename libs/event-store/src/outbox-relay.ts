import type { EventPublisher, MessagingLogger, OutgoingMessage } from '@latchkey/messaging';
import { Client, QueryResult } from 'pg';
import { DataSource } from 'typeorm';
import { LOCAL_APPEND_ORIGIN, onLocalAppend } from './local-append-signal';
import { checkSchemaName, outboxChannel } from './schema';
import { withTransaction } from './sql-transaction';

export interface OutboxRelayOptions {
  schema: string;
  /** for the dedicated connection that LISTENs for appends */
  databaseUrl: string;
  batchSize?: number;
  pollIntervalMs?: number;
  logger?: MessagingLogger;
  /** back-off after a failed pass: starts here, doubles up to maxBackoffMs */
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

interface OutboxRow {
  id: string;
  topic: string;
  message_key: string;
  payload: unknown;
  headers: Record<string, string> | null;
}

/** the application_name of a relay's session (pg_stat_activity shows which connection is the relay) */
export function relayApplicationName(schema: string): string {
  return `latchkey-outbox-relay ${schema}`.slice(0, 63);
}

const silentLogger: MessagingLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const errorMessage = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Publishes the outbox rows of one schema, woken by NOTIFY from appends or by a poll interval.
 *
 * No "last position seen" is tracked: BIGSERIAL ids are handed out at insert but become visible at commit, so
 * a smaller id can appear after a larger one was read, and a cursor would skip it. Each pass instead claims
 * whatever is still unpublished (published_at IS NULL, FOR UPDATE SKIP LOCKED) in id order.
 *
 * Per-aggregate order: an aggregate's event n+1 can only be appended after event n committed (the version check
 * and the unique (stream_id, version) index), so n has the smaller id and is visible whenever n+1 is. Only one
 * relay publishes at a time across replicas (a transaction-scoped advisory lock per schema), in id order, and
 * marks rows published in the same transaction; Kafka keeps the order per key (= aggregate id). A failed
 * publish rolls back and the batch is sent again: at-least-once, consumers deduplicate.
 *
 * Latency: an append committed in this process wakes the relay directly (local-append-signal), NOTIFY the others;
 * the relay has its own connection (the one that LISTENs), so a pass never waits for a pooled one, and a pass is
 * two round trips besides the publish: BEGIN + lock + claim in one, mark + COMMIT in the other.
 */
export class OutboxRelay {
  private readonly schema: string;
  private readonly channel: string;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly logger: MessagingLogger;
  private readonly minBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly claimSql: string;
  private running = false;
  private loop: Promise<void> | null = null;
  /** the relay's own session: LISTENs, and runs the publishing transactions */
  private session: Client | null = null;
  private woken = false;
  private wake: (() => void) | null = null;
  private stopLocalSignal: (() => void) | null = null;
  private _lastError: string | null = null;
  private _healthy = true;
  private _published = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: EventPublisher,
    private readonly options: OutboxRelayOptions,
  ) {
    this.schema = `"${checkSchemaName(options.schema)}"`;
    this.channel = outboxChannel(options.schema);
    this.batchSize = options.batchSize ?? 200;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) throw new Error(`batchSize must be a positive integer, got ${this.batchSize}`);
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.logger = options.logger ?? silentLogger;
    this.minBackoffMs = options.minBackoffMs ?? 250;
    this.maxBackoffMs = options.maxBackoffMs ?? 5_000;
    // Simple-query protocol (no parameters: the schema name is checked, the batch size an integer), so BEGIN and the
    // claim travel together. The advisory lock is a one-time filter under the row locks: without it no row is locked,
    // so a relay that lost the race never makes the lock holder skip (and publish past) a row.
    const lockKey = `latchkey-outbox:${checkSchemaName(options.schema)}`;
    this.claimSql = `BEGIN; SELECT id, topic, message_key, payload, headers FROM ${this.schema}.outbox
      WHERE published_at IS NULL AND (SELECT pg_try_advisory_xact_lock(hashtextextended('${lockKey}', 0)))
      ORDER BY id LIMIT ${this.batchSize} FOR UPDATE SKIP LOCKED`;
  }

  /** false while the last pass failed (e.g. the broker is down) */
  get healthy(): boolean {
    return this._healthy;
  }

  get lastError(): string | null {
    return this._lastError;
  }

  /** messages published by this relay since start */
  get published(): number {
    return this._published;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopLocalSignal = onLocalAppend(this.options.schema, () => this.signal());
    this.loop = this.run();
  }

  /** stops polling and listening and closes the session; resolves once the in-flight batch has finished */
  async stop(): Promise<void> {
    this.running = false;
    this.stopLocalSignal?.();
    this.stopLocalSignal = null;
    this.signal();
    await this.loop;
    this.loop = null;
    const session = this.session;
    this.session = null;
    session?.removeAllListeners('end');
    await session?.end().catch(() => undefined);
  }

  /** number of outbox rows not published yet */
  async pending(): Promise<number> {
    const [row]: Array<{ n: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM ${this.schema}.outbox WHERE published_at IS NULL`,
    );
    return row.n;
  }

  /** deletes rows published before the given age; returns how many */
  async purgePublished(olderThanMs: number): Promise<number> {
    return withTransaction(this.dataSource, async (tx) => {
      const rows = await tx.query(
        `DELETE FROM ${this.schema}.outbox
          WHERE published_at IS NOT NULL AND published_at < now() - make_interval(secs => $1) RETURNING id`,
        [olderThanMs / 1000],
      );
      return rows.length;
    });
  }

  /** one pass: publishes up to batchSize rows; returns how many (0 also when another relay holds the lock) */
  async publishBatch(): Promise<number> {
    const db = await this.connection();
    let claimed: string[] = [];
    try {
      // a multi-statement query answers one result per statement: [BEGIN, SELECT]
      const [, claim] = (await db.query(this.claimSql)) as unknown as [QueryResult, QueryResult<OutboxRow>];
      const rows = claim.rows;
      if (rows.length === 0) {
        await db.query('ROLLBACK');
        return 0;
      }
      claimed = rows.map((r) => r.id);
      const messages: OutgoingMessage[] = rows.map((r) => ({
        topic: r.topic,
        key: r.message_key,
        value: JSON.stringify(r.payload),
        headers: r.headers ?? {},
      }));
      await this.publisher.publish(messages);
      // ids come from the bigint column: digits only, safe to inline
      await db.query(
        `UPDATE ${this.schema}.outbox SET published_at = now(), attempts = attempts + 1 WHERE id = ANY('{${claimed.join(',')}}'::bigint[]); COMMIT`,
      );
      return rows.length;
    } catch (err) {
      await db.query('ROLLBACK').catch(() => undefined);
      if (claimed.length > 0) await this.countFailedAttempt(claimed);
      throw err;
    }
  }

  private async run(): Promise<void> {
    let backoff = this.minBackoffMs;
    while (this.running) {
      this.woken = false;
      try {
        const n = await this.publishBatch();
        this._published += n;
        if (!this._healthy) this.logger.info(`outbox ${this.options.schema}: publishing again`);
        this._healthy = true;
        this._lastError = null;
        backoff = this.minBackoffMs;
        if (n === this.batchSize) continue; // more may be waiting
        await this.idle(this.pollIntervalMs);
      } catch (err) {
        this._healthy = false;
        this._lastError = errorMessage(err);
        this.logger.warn(`outbox ${this.options.schema}: publish failed, retrying in ${backoff} ms: ${this._lastError}`);
        await this.idle(backoff, true);
        backoff = Math.min(backoff * 2, this.maxBackoffMs);
      }
    }
  }

  /** waits for a notification or the timeout; a back-off wait ignores notifications (only stop() ends it) */
  private idle(ms: number, ignoreNotifications = false): Promise<void> {
    if (!this.running || (this.woken && !ignoreNotifications)) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = ignoreNotifications ? () => (this.running ? undefined : done()) : done;
    });
  }

  private signal(): void {
    this.woken = true;
    this.wake?.();
  }

  private async countFailedAttempt(ids: string[]): Promise<void> {
    await this.dataSource
      .query(`UPDATE ${this.schema}.outbox SET attempts = attempts + 1 WHERE id = ANY($1::bigint[])`, [ids])
      .catch(() => undefined);
  }

  /**
   * The relay's session, connected and LISTENing (a pooled connection would lose the LISTEN). A lost session is
   * dropped and the next pass connects again; it LISTENs before it claims, so no notification falls in between.
   */
  private async connection(): Promise<Client> {
    if (this.session) return this.session;
    const client = new Client({ connectionString: this.options.databaseUrl, application_name: relayApplicationName(this.options.schema) });
    const lost = (err: unknown) => {
      client.removeAllListeners('notification');
      client.removeAllListeners('end');
      void client.end().catch(() => undefined);
      if (this.session !== client) return;
      this.session = null;
      if (this.running) this.logger.warn(`outbox ${this.options.schema}: database session lost, reconnecting: ${errorMessage(err)}`);
      this.signal(); // the next pass reconnects (and a notification may have been missed)
    };
    client.on('error', (err) => lost(err)); // also keeps an idle connection's error from being unhandled
    client.on('end', () => lost(new Error('connection ended')));
    // this process's own appends have signalled the relay already (local-append-signal)
    client.on('notification', (n) => {
      if (n.payload !== LOCAL_APPEND_ORIGIN) this.signal();
    });
    try {
      await client.connect();
      await client.query(`LISTEN "${this.channel}"`);
    } catch (err) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw err;
    }
    this.session = client;
    return client;
  }
}
