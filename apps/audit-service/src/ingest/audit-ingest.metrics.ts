import { Provider } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { METRICS_REGISTRY } from '@latchkey/service-kit';

export interface AuditIngestMetrics {
  rejected: Counter<'reason'>;
  recorded: Counter<'outcome'>;
}

export const AUDIT_INGEST_METRICS = Symbol('AUDIT_INGEST_METRICS');

export function createAuditIngestMetrics(registry: Registry): AuditIngestMetrics {
  return {
    rejected: new Counter({
      name: 'latchkey_audit_rejected_total',
      help: 'Messages on event topics that were skipped because they are not storable events',
      labelNames: ['reason'],
      registers: [registry],
    }),
    recorded: new Counter({
      name: 'latchkey_audit_events_total',
      help: 'Valid events handled by the audit ingest: inserted, or duplicate (already recorded)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
  };
}

export const auditIngestMetricsProvider: Provider = {
  provide: AUDIT_INGEST_METRICS,
  inject: [METRICS_REGISTRY],
  useFactory: createAuditIngestMetrics,
};
