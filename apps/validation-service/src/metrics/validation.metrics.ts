import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';
import { METRICS_REGISTRY } from '@latchkey/service-kit';
import type { DecisionCode } from '@latchkey/contracts';

/** memory: in-process LRU; negative: a remembered 404; redis: the shared read model; source: token-service */
export type LookupLayer = 'memory' | 'negative' | 'redis' | 'source';

/** The service's Prometheus metrics, registered once on the app's registry. */
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

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    const registers = [registry];
    this.decisions = new Counter({
      name: 'latchkey_validation_decisions_total',
      help: 'Validation decisions, by code',
      labelNames: ['code'],
      registers,
    });
    this.lookups = new Counter({
      name: 'latchkey_validation_lookups_total',
      help: 'Token lookups (well-formed tokens only), by the layer that answered',
      labelNames: ['layer'],
      registers,
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
    this.reuseReports = new Counter({
      name: 'latchkey_validation_reuse_reports_total',
      help: 'Rotated-away secrets reported to token-service (reuse detection), by outcome: revoked, unchanged, failed, deduplicated',
      labelNames: ['outcome'],
      registers,
    });
  }

  /** The decision codes start at zero, so dashboards see every series from the first scrape. */
  initDecisionCodes(codes: readonly DecisionCode[]): void {
    for (const code of codes) this.decisions.inc({ code }, 0);
    for (const layer of ['memory', 'negative', 'redis', 'source'] as const) this.lookups.inc({ layer }, 0);
  }
}
