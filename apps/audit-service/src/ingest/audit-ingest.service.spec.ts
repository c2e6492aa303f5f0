import { Logger } from '@nestjs/common';
import { Registry } from 'prom-client';
import { IncomingMessage } from '@latchkey/messaging';
import { AuditEntryRepository } from '../entries/audit-entry.repository';
import { InsertOutcome, NewAuditEntry, UnstorableEntryError } from '../entries/audit-entry';
import { createAuditIngestMetrics } from './audit-ingest.metrics';
import { AuditIngestService } from './audit-ingest.service';

/** In-memory stand-in for the repository: unique by event id, like the table. */
class FakeEntries {
  readonly rows = new Map<string, NewAuditEntry>();
  failWith: Error | null = null;
  async insert(e: NewAuditEntry): Promise<InsertOutcome> {
    if (this.failWith) throw this.failWith;
    if (this.rows.has(e.eventId)) return 'duplicate';
    this.rows.set(e.eventId, e);
    return 'inserted';
  }
}

const event = {
  eventId: '0190f5c2-7b1e-7c3a-9d4e-1a2b3c4d5e6f',
  type: 'TokenRevoked',
  aggregateType: 'token',
  aggregateId: '0190f5c2-7b1e-7c3a-9d4e-aaaaaaaaaaaa',
  version: 3,
  occurredAt: '2025-01-02T03:04:05.678Z',
  actor: { userId: 'admin', via: 'latchkey-token', tokenId: '0190f5c2-7b1e-7c3a-9d4e-bbbbbbbbbbbb' },
  data: { reason: 'leaked' },
};

let offset = 0;
const message = (value: string): IncomingMessage => ({
  topic: 'latchkey.token.v1',
  partition: 0,
  offset: String(offset++),
  key: event.aggregateId,
  value,
  headers: {},
});

async function counterValue(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const metric = await registry.getSingleMetric(name)?.get();
  const match = metric?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
  return match?.value ?? 0;
}

// the skipped-message warnings are expected here
beforeAll(() => Logger.overrideLogger(false));

describe(AuditIngestService.name, () => {
  let registry: Registry;
  let entries: FakeEntries;
  let service: AuditIngestService;

  beforeEach(() => {
    registry = new Registry();
    entries = new FakeEntries();
    service = new AuditIngestService(entries as unknown as AuditEntryRepository, createAuditIngestMetrics(registry));
  });

  it('records a valid event once, however often it is delivered', async () => {
    expect(await service.handle(message(JSON.stringify(event)))).toBe('inserted');
    expect(await service.handle(message(JSON.stringify(event)))).toBe('duplicate');
    expect(entries.rows.size).toBe(1);
    expect(await counterValue(registry, 'latchkey_audit_events_total', { outcome: 'inserted' })).toBe(1);
    expect(await counterValue(registry, 'latchkey_audit_events_total', { outcome: 'duplicate' })).toBe(1);
  });

  it('counts and skips garbage instead of failing the consumer', async () => {
    await expect(service.handle(message('not json'))).resolves.toEqual({ rejected: 'not_json' });
    await expect(service.handle(message('{"a":1}'))).resolves.toEqual({ rejected: 'not_envelope' });
    await expect(service.handle(message('{"b":2}'))).resolves.toEqual({ rejected: 'not_envelope' });
    expect(entries.rows.size).toBe(0);
    expect(await counterValue(registry, 'latchkey_audit_rejected_total', { reason: 'not_json' })).toBe(1);
    expect(await counterValue(registry, 'latchkey_audit_rejected_total', { reason: 'not_envelope' })).toBe(2);
  });

  it('skips an event the database refuses as data', async () => {
    entries.failWith = new UnstorableEntryError('22P05', 'unsupported Unicode escape sequence');
    await expect(service.handle(message(JSON.stringify(event)))).resolves.toEqual({ rejected: 'unstorable' });
    expect(await counterValue(registry, 'latchkey_audit_rejected_total', { reason: 'unstorable' })).toBe(1);
  });

  it('fails on an outage, so the message is delivered again', async () => {
    entries.failWith = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    await expect(service.handle(message(JSON.stringify(event)))).rejects.toThrow('ECONNREFUSED');
    entries.failWith = null;
    await expect(service.handle(message(JSON.stringify(event)))).resolves.toBe('inserted');
    expect(await counterValue(registry, 'latchkey_audit_rejected_total', {})).toBe(0);
  });
});
