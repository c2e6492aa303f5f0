import { EventHeaders, TokenEvent } from '@latchkey/contracts';
import { IncomingMessage } from '@latchkey/messaging';
import { NotificationServiceConfig } from '../config/notification-service.config';
import { fakeDataSource } from '../database/fake-data-source';
import { DeliveryWakeup } from '../delivery/delivery-wakeup';
import { Notice } from '../notices/domain/notice';
import { NoticeFanoutService } from '../notices/notice-fanout.service';
import { ViewRepository } from '../view/view.repository';
import { EventIngestService } from './event-ingest.service';

const now = new Date('2026-01-10T00:00:00.000Z');

function setup() {
  const seen = new Set<string>();
  const applied: string[] = [];
  const notices: Notice[] = [];
  const view = {
    firstTime: async (_tx: unknown, id: string) => !seen.has(id) && Boolean(seen.add(id)),
    upsertToken: async () => void applied.push('token'),
    upsertUser: async () => void applied.push('user'),
    upsertGroup: async () => void applied.push('group'),
    countDenial: async () => void applied.push('denial'),
    recordUse: async () => void applied.push('use'),
  } as unknown as ViewRepository;
  const fanout = { fanOut: async (_tx: unknown, n: Notice[]) => (notices.push(...n), n.length) } as unknown as NoticeFanoutService;
  const wakeup = new DeliveryWakeup();
  let woken = 0;
  wakeup.on(() => woken++);
  const config = { LATCHKEY_NOTIFY_MAX_EVENT_AGE_MS: 3_600_000 } as NotificationServiceConfig;
  const service = new EventIngestService(fakeDataSource(), view, fanout, wakeup, config, () => now);
  return { service, applied, notices, woken: () => woken };
}

const revoked = (occurredAt: string, eventId = 'e-1'): IncomingMessage => {
  const e = {
    eventId,
    type: 'TokenRevoked',
    aggregateType: 'token',
    aggregateId: 't1',
    version: 2,
    occurredAt,
    actor: { userId: 'admin', via: 'oidc' },
    data: { reason: 'r', cause: 'admin' },
    state: { id: 't1', ownerId: 'alice', createdBy: 'alice', name: 'ci', hint: 'lk_...abcd', status: 'revoked', expiresAt: null, version: 2 },
  } as unknown as TokenEvent;
  return { topic: 'latchkey.token.v1', partition: 0, offset: '1', key: 't1', value: JSON.stringify(e), headers: {} };
};

describe(EventIngestService.name, () => {
  it('applies a token event and queues its notice once, however often it is delivered', async () => {
    const { service, notices, woken } = setup();
    expect(await service.handle(revoked('2026-01-09T23:30:00.000Z'))).toBe('applied');
    expect(await service.handle(revoked('2026-01-09T23:30:00.000Z'))).toBe('duplicate');
    expect(notices.map((n) => n.kind)).toEqual(['revoked']);
    expect(woken()).toBe(1);
  });

  it('updates its view from old history but tells nobody', async () => {
    const { service, applied, notices } = setup();
    await service.handle(revoked('2025-12-01T00:00:00.000Z'));
    expect(applied).toEqual(['token']);
    expect(notices).toEqual([]);
  });

  it('skips heartbeats, garbage and messages without an id', async () => {
    const { service, applied } = setup();
    const base = { topic: 't', partition: 0, offset: '1', key: null, headers: {} };
    expect(await service.handle({ ...base, value: '{}', headers: { [EventHeaders.type]: 'Heartbeat' } })).toBe('ignored');
    expect(await service.handle({ ...base, value: 'not json' })).toBe('ignored');
    expect(await service.handle({ ...base, value: '{"type":"x"}' })).toBe('ignored');
    expect(applied).toEqual([]);
  });

  it('counts denials and records last use', async () => {
    const { service, applied } = setup();
    const base = { topic: 't', partition: 0, offset: '1', key: null, headers: {} };
    await service.handle({ ...base, value: JSON.stringify({ type: 'AccessDenied', decisionId: 'd1', code: 'EXPIRED', ip: '10.0.0.1', occurredAt: now.toISOString(), droppedBefore: 0 }) });
    await service.handle({ ...base, value: JSON.stringify({ type: 'TokenUsage', usageId: 'u1', tokenId: '0190a0e4-0000-7000-8000-000000000001', count: 1, lastUsedAt: now.toISOString() }) });
    expect(applied).toEqual(['denial', 'use']);
  });
});
