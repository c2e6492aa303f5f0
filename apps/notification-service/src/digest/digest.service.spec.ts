import { NotificationServiceConfig } from '../config/notification-service.config';
import { fakeDataSource } from '../database/fake-data-source';
import { DeliveryWakeup } from '../delivery/delivery-wakeup';
import { Notice } from '../notices/domain/notice';
import { NoticeFanoutService } from '../notices/notice-fanout.service';
import { DigestRepository } from './digest.repository';
import { DigestService } from './digest.service';

function setup() {
  const notices: Notice[] = [];
  const repo = {
    expiringSoon: async () => ({ count: 2, sample: [] }),
    neverUsed: async () => ({ count: 1, sample: [] }),
    denials: async () => ({ byCode: { EXPIRED: 90 }, last24h: 90, dailyAverage: 4 }),
  } as unknown as DigestRepository;
  const fanout = { fanOut: async (_tx: unknown, n: Notice[]) => (notices.push(...n), 1) } as unknown as NoticeFanoutService;
  const config = { LATCHKEY_NOTIFY_DIGEST_HOUR_UTC: 8, LATCHKEY_NOTIFY_NEVER_USED_DAYS: 30 } as NotificationServiceConfig;
  return { service: new DigestService(fakeDataSource(), repo, fanout, new DeliveryWakeup(), config), notices };
}

describe(DigestService.name, () => {
  it('waits for the configured hour, then queues one digest keyed by the day', async () => {
    const { service, notices } = setup();
    expect(await service.run(new Date('2026-03-01T07:59:00Z'))).toEqual({ day: '2026-03-01', queued: 0 });
    await service.run(new Date('2026-03-01T08:01:00Z'));
    expect(notices[0]).toMatchObject({ kind: 'admin-digest', key: 'admin-digest:2026-03-01', digest: { expiringSoon: { count: 2 }, denials: { spike: true } } });
  });

  it('sends one now when asked, under a key of its own', async () => {
    const { service, notices } = setup();
    await service.run(new Date('2026-03-01T01:00:00Z'), true);
    expect(notices[0].key).toMatch(/^admin-digest:2026-03-01:on-demand:/);
  });
});
