import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';
import { METRICS_REGISTRY } from '@latchkey/service-kit';
import type { DecisionCode } from '@latchkey/contracts';

/** memory: in-process LRU; negative: a remembered 404; redis: the shared read model; source: token-service */
export type LookupLayer = 'memory' | 'negative' | 'redis' | 'source';

/** A counter series for the hot path: a plain number, added to its prom-client counter when it is scraped. */
export interface HotCounter {
  inc(): void;
}

class PendingCount implements HotCounter {
  n = 0;
  constructor(readonly labels: Record<string, string>) {}
  inc(): void {
    this.n++;
  }
}

/**
 * The service's Prometheus metrics, registered once on the app's registry. prom-client hashes and checks the labels
 * on every inc(), even through a `labels()` child, so the per-request counters are plain numbers (`hot`) folded
 * into their counters on each scrape (`collect`).
 */
export interface CacheSize {
  hashes: number;
  tokens: number;
  approximateBytes: number;
}

@Injectable()
export class ValidationMetrics {
  readonly decisions: Counter<'code'>;
  readonly lookups: Counter<'layer'>;
  readonly lookupErrors: Counter<'layer'>;
  readonly eventsApplied: Counter<string>;
  readonly eventsSkipped: Counter<'reason'>;
  readonly readModelWriteFailures: Counter<string>;
  readonly stale: Gauge<string>;
  readonly heartbeatLag: Gauge<string>;
  readonly staleAnswers: Counter<'mode'>;
  readonly telemetryPublished: Counter<'topic'>;
  readonly telemetryDropped: Counter<'topic' | 'reason'>;
  readonly ackPublishFailures: Counter<string>;
  readonly reuseReports: Counter<'outcome'>;
  readonly cacheEntries: Gauge<'kind'>;
  private cacheSize: (() => CacheSize) | undefined;
  private readonly pending = new Map<Counter<string>, PendingCount[]>();

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    const registers = [registry];
    const pending = this.pending;
    const collect = function (this: Counter<string>): void {
      for (const count of pending.get(this) ?? []) {
        if (count.n === 0) continue;
        this.inc(count.labels, count.n);
        count.n = 0;
      }
    };
    this.decisions = new Counter({
      name: 'latchkey_validation_decisions_total',
      help: 'Validation decisions, by code',
      labelNames: ['code'],
      registers,
      collect,
    });
    this.lookups = new Counter({
      name: 'latchkey_validation_lookups_total',
      help: 'Token lookups (well-formed tokens only), by the layer that answered',
      labelNames: ['layer'],
      registers,
      collect,
    });
    this.lookupErrors = new Counter({
      name: 'latchkey_validation_lookup_errors_total',
      help: 'Failed lookups in a layer (redis errors fall through to the source)',
      labelNames: ['layer'],
      registers,
    });
    this.eventsApplied = new Counter({
      name: 'latchkey_validation_events_applied_total',
      help: 'Token events applied to the caches',
      registers,
    });
    this.eventsSkipped = new Counter({
      name: 'latchkey_validation_events_skipped_total',
      help: 'Token-topic messages not applied, by reason',
      labelNames: ['reason'],
      registers,
    });
    this.readModelWriteFailures = new Counter({
      name: 'latchkey_validation_read_model_write_failures_total',
      help: 'Redis read-model writes that failed',
      registers,
    });
    this.stale = new Gauge({
      name: 'latchkey_validation_stale',
      help: '1 while this replica cannot prove it is current (no heartbeat within LATCHKEY_MAX_STALENESS_MS)',
      registers,
    });
    this.heartbeatLag = new Gauge({
      name: 'latchkey_validation_heartbeat_lag_seconds',
      help: 'Age of the oldest partition heartbeat (-1 before the first)',
      registers,
    });
    this.staleAnswers = new Counter({
      name: 'latchkey_validation_stale_answers_total',
      help: 'Token validations answered while stale, by stale mode',
      labelNames: ['mode'],
      registers,
    });
    this.telemetryPublished = new Counter({
      name: 'latchkey_validation_telemetry_published_total',
      help: 'Usage and denial messages published to Kafka, by topic',
      labelNames: ['topic'],
      registers,
    });
    this.telemetryDropped = new Counter({
      name: 'latchkey_validation_telemetry_dropped_total',
      help: 'Usage and denial messages not published, by topic and reason (rate_limit, buffer_full, publish_failed)',
      labelNames: ['topic', 'reason'],
      registers,
    });
    this.ackPublishFailures = new Counter({
      name: 'latchkey_validation_ack_publish_failures_total',
      help: 'Applied-event notices (acknowledged revocation) that could not be published to Redis',
      registers,
    });
    const cacheSize = () => this.cacheSize?.();
    this.cacheEntries = new Gauge({
      name: 'latchkey_validation_cache_size',
      help: 'In-process token cache: hash mappings and token states held, and their approximate heap bytes',
      labelNames: ['kind'],
      registers,
      collect(this: Gauge<'kind'>) {
        const size = cacheSize();
        if (!size) return;
        this.set({ kind: 'hashes' }, size.hashes);
        this.set({ kind: 'tokens' }, size.tokens);
        this.set({ kind: 'approximate_bytes' }, size.approximateBytes);
      },
    });
    this.reuseReports = new Counter({
      name: 'latchkey_validation_reuse_reports_total',
      help: 'Rotated-away secrets reported to token-service (reuse detection), by outcome: revoked, unchanged, failed, deduplicated',
      labelNames: ['outcome'],
      registers,
    });
  }

  /** The in-process cache's size, read at scrape time. */
  observeCache(size: () => CacheSize): void {
    this.cacheSize = size;
  }

  /** One series of `decisions` or `lookups` for the hot path (counted as a plain number until scraped). */
  hot<L extends string>(counter: Counter<L>, labels: Record<L, string>): HotCounter {
    const list = this.pending.get(counter as Counter<string>) ?? [];
    this.pending.set(counter as Counter<string>, list);
    const count = new PendingCount(labels);
    list.push(count);
    return count;
  }

  /** The decision codes start at zero, so dashboards see every series from the first scrape. */
  initDecisionCodes(codes: readonly DecisionCode[]): void {
    for (const code of codes) this.decisions.inc({ code }, 0);
    for (const layer of ['memory', 'negative', 'redis', 'source'] as const) this.lookups.inc({ layer }, 0);
  }
}
