import { Logger } from '@nestjs/common';
import { Registry } from 'prom-client';
import { ReadinessRegistry } from '@latchkey/service-kit';
import { auditServiceEnvSchema } from '../config/audit-service.config';
import { AuditEntryRepository } from '../entries/audit-entry.repository';
import { InsertOutcome, NewAuditEntry } from '../entries/audit-entry';
import { AuditIngestConsumer } from './audit-ingest.consumer';
import { createAuditIngestMetrics } from './audit-ingest.metrics';
import { AuditIngestService } from './audit-ingest.service';
import { InMemoryEventSource } from './in-memory/in-memory-event-source';

const event = {
  eventId: '0190f5c2-7b1e-7c3a-9d4e-1a2b3c4d5e6f',
  type: 'TokenIssued',
  aggregateType: 'token',
  aggregateId: 't1',
  version: 1,
  occurredAt: '2025-01-02T03:04:05.678Z',
  actor: { userId: 'alice', via: 'oidc' },
  data: {},
};

function setup(namespace: string) {
  const inserted: NewAuditEntry[] = [];
  const entries = { insert: async (e: NewAuditEntry): Promise<InsertOutcome> => (inserted.push(e), 'inserted') };
  const service = new AuditIngestService(entries as unknown as AuditEntryRepository, createAuditIngestMetrics(new Registry()));
  const source = new InMemoryEventSource();
  const readiness = new ReadinessRegistry();
  const config = auditServiceEnvSchema.parse({ LATCHKEY_TOPIC_NAMESPACE: namespace });
  const consumer = new AuditIngestConsumer(source, service, readiness, config);
  consumer.onModuleInit();
  return { consumer, source, readiness, inserted };
}

// the skipped-message warnings are expected here
beforeAll(() => Logger.overrideLogger(false));

describe(AuditIngestConsumer.name, () => {
  it('uses one work-sharing group and the namespaced token topic', async () => {
    const { consumer, source } = setup('run42');
    await consumer.onApplicationBootstrap();
    expect(source.subscriptions.map((s) => [s.groupId, s.topics])).toEqual([
      ['latchkey-audit-run42', ['run42.latchkey.token.v1']],
    ]);
    await consumer.onModuleDestroy();
  });

  it('uses the contract names without a namespace', () => {
    const { consumer } = setup('');
    expect(consumer.groupId).toBe('latchkey-audit');
    expect(consumer.topics).toEqual(['latchkey.token.v1']);
  });

  it('records what arrives on the topic, and skips garbage without stopping', async () => {
    const { consumer, source, inserted } = setup('');
    await consumer.onApplicationBootstrap();
    await source.bus.publish([
      { topic: 'latchkey.token.v1', key: 't1', value: 'garbage' },
      { topic: 'latchkey.token.v1', key: 't1', value: JSON.stringify(event) },
    ]);
    expect(source.bus.handlerErrors).toEqual([]);
    expect(inserted.map((e) => e.eventId)).toEqual([event.eventId]);
    await consumer.onModuleDestroy();
  });

  it('is ready only while subscribed and caught up', async () => {
    const { consumer, readiness } = setup('');
    const check = readiness.all().find((c) => c.name === 'audit-ingest');
    expect((await check?.check())?.ok).toBe(false);
    await consumer.onApplicationBootstrap();
    expect((await check?.check())?.ok).toBe(true);
    await consumer.onModuleDestroy();
    expect((await check?.check())?.ok).toBe(false);
  });
});
