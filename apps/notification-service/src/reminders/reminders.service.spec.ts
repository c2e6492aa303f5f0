import { NotificationServiceConfig } from '../config/notification-service.config';
import { fakeDataSource } from '../database/fake-data-source';
import { DeliveryWakeup } from '../delivery/delivery-wakeup';
import { Notice } from '../notices/domain/notice';
import { NoticeFanoutService } from '../notices/notice-fanout.service';
import { ReminderCandidate, ReminderRepository } from './reminder.repository';
import { RemindersService } from './reminders.service';

const DAY = 86_400_000;
const now = new Date('2026-03-01T00:00:00.000Z');
const token = (n: number, days: number, remindedDays: number | null = null): ReminderCandidate => ({
  id: `0190a0e4-0000-7000-8000-${String(n).padStart(12, '0')}`,
  ownerId: 'alice',
  name: `t${n}`,
  hint: 'lk_...abcd',
  expiresAt: new Date(now.getTime() + days * DAY),
  remindedDays,
});

describe(RemindersService.name, () => {
  it('queues the due reminder of each token once and marks it, page by page', async () => {
    const tokens = [token(1, 0.5), token(2, 3), token(3, 10, 14), token(4, 13)];
    const marked: Array<{ id: string; days: number }> = [];
    const notices: Notice[] = [];
    const repo = {
      candidates: async (_n: Date, _h: Date, _s: number, after: string | null) => (after ? [] : tokens),
      markReminded: async (_tx: unknown, r: Array<{ id: string; days: number }>) => void marked.push(...r),
    } as unknown as ReminderRepository;
    const fanout = { fanOut: async (_tx: unknown, n: Notice[]) => (notices.push(...n), n.length * 2) } as unknown as NoticeFanoutService;
    const config = { LATCHKEY_NOTIFY_REMINDER_DAYS: [14, 7, 1] } as unknown as NotificationServiceConfig;
    const service = new RemindersService(fakeDataSource(), repo, fanout, new DeliveryWakeup(), config);
    expect(await service.runPass(now)).toEqual({ at: now.toISOString(), scanned: 4, reminders: 3, deliveries: 6 });
    expect(marked.map((m) => m.days)).toEqual([1, 7, 14]);
    expect(notices.map((n) => n.daysLeft)).toEqual([1, 3, 13]);
    expect(notices[0].key).toBe(`expiry-reminder:${tokens[0].id}:${tokens[0].expiresAt.toISOString()}:1`);
  });
});
