import { Provider } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';
import { METRICS_REGISTRY } from '@latchkey/service-kit';

export interface AuditIngestMetrics {
  rejected: Counter<'reason'>;
  recorded: Counter<'outcome'>;
  ignored: Counter<'why'>;
  batchSeconds: Histogram<string>;
  lagSeconds: Histogram<string>;
}

export const AUDIT_INGEST_METRICS = Symbol('AUDIT_INGEST_METRICS');

export function createAuditIngestMetrics(registry: Registry): AuditIngestMetrics {
  return {
    rejected: new Counter({
      name: 'latchkey_audit_rejected_total',
      help: 'Messages on event topics sent to the dead-letter topic because they cannot be recorded',
      labelNames: ['reason'],
      registers: [registry],
    }),
    recorded: new Counter({
      name: 'latchkey_audit_events_total',
      help: 'Valid events handled by the audit ingest: inserted, or duplicate (already recorded)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    ignored: new Counter({
      name: 'latchkey_audit_ignored_total',
      help: 'Messages that are not events (heartbeats): neither recorded nor rejected',
      labelNames: ['why'],
      registers: [registry],
    }),
    batchSeconds: new Histogram({
      name: 'latchkey_audit_append_seconds',
      help: 'Time to append one batch to the hash chain (one transaction)',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    lagSeconds: new Histogram({
      name: 'latchkey_audit_ingest_lag_seconds',
      help: 'From an event occurring to its audit entry being committed',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
      registers: [registry],
    }),
  };
}

export const auditIngestMetricsProvider: Provider = {
  provide: AUDIT_INGEST_METRICS,
  inject: [METRICS_REGISTRY],
  useFactory: createAuditIngestMetrics,
};
