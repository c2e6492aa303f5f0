import { Logger } from '@nestjs/common';
import { Registry } from 'prom-client';
import { IncomingMessage } from '@latchkey/messaging';
import { AppendSignal } from '../entries/append-signal';
import { AppendResult, AuditEntryRepository, UnstorableEntryError } from '../entries/audit-entry.repository';
import { AuditRecord, HashedRecord } from '../entries/domain/audit-record';
import { createAuditIngestMetrics } from './audit-ingest.metrics';
import { AuditIngestService } from './audit-ingest.service';
import { DeadLetter } from './dead-letter.port';

const TOPIC = 'ns.latchkey.token.v1';
let offset = 0;
const msg = (value: string, headers: Record<string, string> = {}): IncomingMessage => ({ topic: TOPIC, partition: 0, offset: String(offset++), key: 'k', value, headers });
const event = (id: string, over: Record<string, unknown> = {}) =>
  JSON.stringify({ eventId: id, type: 'TokenIssued', aggregateType: 'token', aggregateId: 't1', version: 1, occurredAt: new Date().toISOString(), actor: { userId: 'alice', via: 'oidc' }, data: {}, ...over });

/** An in-memory stand-in for the repository: dedupes by event id like the real one. */
function setup(opts: { unstorable?: (r: AuditRecord) => boolean; down?: boolean } = {}) {
  const stored: AuditRecord[] = [];
  const entries = {
    append: async (hashed: HashedRecord[]): Promise<AppendResult> => {
      const records = hashed.map((h) => h.record);
      if (opts.down) throw new Error('connection refused');
      if (records.some((r) => opts.unstorable?.(r))) throw new UnstorableEntryError('22P02', 'bad');
      const fresh = records.filter((r, i) => !stored.some((s) => s.eventId === r.eventId) && records.findIndex((x) => x.eventId === r.eventId) === i);
      stored.push(...fresh);
      return { inserted: fresh.map((r) => ({ seq: stored.indexOf(r) + 1, eventId: r.eventId, occurredAt: r.occurredAt })), duplicates: records.length - fresh.length, head: { seq: stored.length, hash: 'h' } };
    },
  };
  const letters: DeadLetter[] = [];
  const registry = new Registry();
  const signal = new AppendSignal();
  let signalled = 0;
  signal.on(() => signalled++);
  const service = new AuditIngestService(entries as unknown as AuditEntryRepository, signal, { send: async (l) => void letters.push(...l) }, createAuditIngestMetrics(registry));
  const metric = async (name: string, label: Record<string, string>) =>
    (await registry.getSingleMetric(name)?.get())?.values.find((v) => Object.entries(label).every(([k, l]) => v.labels[k] === l))?.value ?? 0;
  return { service, stored, letters, metric, signalled: () => signalled };
}

beforeAll(() => Logger.overrideLogger(false));

describe(AuditIngestService.name, () => {
  it('stores an event delivered twice once', async () => {
    const { service, stored, metric } = setup();
    const id = '0190f5c2-7b1e-7c3a-9d4e-000000000001';
    await service.handle([msg(event(id)), msg(event(id))]);
    await service.handle([msg(event(id))]);
    expect(stored).toHaveLength(1);
    expect(await metric('latchkey_audit_events_total', { outcome: 'inserted' })).toBe(1);
    expect(await metric('latchkey_audit_events_total', { outcome: 'duplicate' })).toBe(2);
  });

  it('dead-letters garbage with its reason, counts it, and still stores the rest of the batch', async () => {
    const { service, stored, letters, metric } = setup();
    const summary = await service.handle([msg('not json'), msg(event('0190f5c2-7b1e-7c3a-9d4e-000000000002')), msg('{"a":1}')]);
    expect(summary).toEqual({ inserted: 1, duplicates: 0, rejected: 2, ignored: 0 });
    expect(stored).toHaveLength(1);
    expect(letters.map((l) => l.reason)).toEqual(['not_json', 'not_envelope']);
    expect(await metric('latchkey_audit_rejected_total', { reason: 'not_json' })).toBe(1);
  });

  it('neither stores nor rejects heartbeats', async () => {
    const { service, stored, letters } = setup();
    const summary = await service.handle([msg('{}', { 'latchkey-event-type': 'Heartbeat' })]);
    expect(summary.ignored).toBe(1);
    expect(stored).toHaveLength(0);
    expect(letters).toHaveLength(0);
  });

  it('isolates a row the database refuses and dead-letters only that one', async () => {
    const bad = '0190f5c2-7b1e-7c3a-9d4e-00000000000b';
    const { service, stored, letters } = setup({ unstorable: (r) => r.eventId === bad });
    await service.handle([msg(event('0190f5c2-7b1e-7c3a-9d4e-000000000003')), msg(event(bad)), msg(event('0190f5c2-7b1e-7c3a-9d4e-000000000004'))]);
    expect(stored).toHaveLength(2);
    expect(letters).toMatchObject([{ reason: 'unstorable' }]);
  });

  it('rejects the batch on an outage so it is delivered again', async () => {
    const { service } = setup({ down: true });
    await expect(service.handle([msg(event('0190f5c2-7b1e-7c3a-9d4e-000000000005'))])).rejects.toThrow('connection refused');
  });

  it('wakes the SIEM feed after an append', async () => {
    const { service, signalled } = setup();
    await service.handle([msg(event('0190f5c2-7b1e-7c3a-9d4e-000000000006'))]);
    expect(signalled()).toBe(1);
  });
});
