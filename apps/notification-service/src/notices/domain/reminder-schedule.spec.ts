import fc from 'fast-check';
import { daysLeft, dueReminder } from './reminder-schedule';

const DAY = 86_400_000;
const now = new Date('2026-03-01T00:00:00Z');
const at = (days: number) => new Date(now.getTime() + days * DAY);

describe(dueReminder.name, () => {
  const thresholds = [14, 7, 1];

  it('is due at the closest threshold only', () => {
    expect(dueReminder(at(20), now, thresholds, null)).toBeNull();
    expect(dueReminder(at(13), now, thresholds, null)).toBe(14);
    expect(dueReminder(at(3), now, thresholds, null)).toBe(7);
    expect(dueReminder(at(0.5), now, thresholds, null)).toBe(1);
    expect(dueReminder(at(-0.1), now, thresholds, null)).toBeNull();
  });

  it('sends each threshold once', () => {
    expect(dueReminder(at(10), now, thresholds, 14)).toBeNull();
    expect(dueReminder(at(6), now, thresholds, 14)).toBe(7);
    expect(dueReminder(at(6), now, thresholds, 7)).toBeNull();
    expect(dueReminder(at(0.9), now, thresholds, 7)).toBe(1);
    expect(dueReminder(at(0.9), now, thresholds, 1)).toBeNull();
  });

  it('walking a token through its last month sends exactly one reminder per threshold', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 * 24 }), fc.integer({ min: 1, max: 12 }), (hoursToExpiry, stepHours) => {
        const expires = new Date(now.getTime() + hoursToExpiry * 3_600_000);
        let reminded: number | null = null;
        const sent: number[] = [];
        for (let t = now.getTime(); t < expires.getTime(); t += stepHours * 3_600_000) {
          const due = dueReminder(expires, new Date(t), thresholds, reminded);
          if (due !== null) {
            sent.push(due);
            reminded = due;
          }
        }
        expect(new Set(sent).size).toBe(sent.length);
        expect([...sent].sort((a, b) => b - a)).toEqual(sent);
      }),
    );
  });
});

describe(daysLeft.name, () => {
  it('counts started days', () => {
    expect(daysLeft(at(0.2), now)).toBe(1);
    expect(daysLeft(at(6.5), now)).toBe(7);
  });
});
