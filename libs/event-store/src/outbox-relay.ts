import type { EventPublisher, MessagingLogger, OutgoingMessage } from '@latchkey/messaging';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
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
 */
export class OutboxRelay {
  private readonly schema: string;
  private readonly channel: string;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly logger: MessagingLogger;
  private readonly minBackoffMs: number;
  private readonly maxBackoffMs: number;
  private running = false;
  private loop: Promise<void> | null = null;
  private listener: Client | null = null;
  private listenerRetry: NodeJS.Timeout | null = null;
  private woken = false;
  private wake: (() => void) | null = null;
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
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.logger = options.logger ?? silentLogger;
    this.minBackoffMs = options.minBackoffMs ?? 250;
    this.maxBackoffMs = options.maxBackoffMs ?? 5_000;
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
    void this.listen();
    this.loop = this.run();
  }

  /** stops polling and listening; resolves once the in-flight batch has finished */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.signal();
    if (this.listenerRetry) clearTimeout(this.listenerRetry);
    this.listenerRetry = null;
    await this.loop;
    this.loop = null;
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => undefined);
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
    let claimed: string[] = [];
    try {
      return await withTransaction(this.dataSource, async (tx) => {
        const [lock] = await tx.query<{ locked: boolean }>(
          `SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked`,
          [`latchkey-outbox:${this.options.schema}`],
        );
        if (!lock.locked) return 0;
        const rows = await tx.query<OutboxRow>(
          `SELECT id, topic, message_key, payload, headers FROM ${this.schema}.outbox
            WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
          [this.batchSize],
        );
        if (rows.length === 0) return 0;
        claimed = rows.map((r) => r.id);
        const messages: OutgoingMessage[] = rows.map((r) => ({
          topic: r.topic,
          key: r.message_key,
          value: JSON.stringify(r.payload),
          headers: r.headers ?? {},
        }));
        await this.publisher.publish(messages);
        await tx.query(
          `UPDATE ${this.schema}.outbox SET published_at = now(), attempts = attempts + 1 WHERE id = ANY($1::bigint[])`,
          [claimed],
        );
        return rows.length;
      });
    } catch (err) {
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

  /** a dedicated connection for LISTEN (a pooled one would lose it), reconnecting while the relay runs */
  private async listen(): Promise<void> {
    if (!this.running) return;
    const client = new Client({ connectionString: this.options.databaseUrl });
    const retry = (err?: unknown) => {
      if (this.listener === client) this.listener = null;
      client.removeAllListeners();
      client.on('error', () => undefined);
      void client.end().catch(() => undefined);
      if (!this.running || this.listenerRetry) return;
      if (err) this.logger.warn(`outbox ${this.options.schema}: LISTEN connection lost, reconnecting: ${errorMessage(err)}`);
      this.listenerRetry = setTimeout(() => {
        this.listenerRetry = null;
        void this.listen();
      }, 1_000);
      this.signal(); // a notification may have been missed meanwhile
    };
    client.on('notification', () => this.signal());
    client.on('error', (err) => retry(err));
    client.on('end', () => retry(new Error('connection ended')));
    try {
      await client.connect();
      await client.query(`LISTEN "${this.channel}"`);
      if (!this.running) {
        client.removeAllListeners();
        await client.end();
        return;
      }
      this.listener = client;
    } catch (err) {
      retry(err);
    }
  }
}
