const DAY_MS = 24 * 3_600_000;

/**
 * The reminder due for a token now, if any (pure). `thresholds` are days before expiry (e.g. 14, 7, 1); each is
 * sent at most once, and only the closest one applies: a token created 3 days before its expiry gets the 7-day
 * reminder, not the 14-day one as well. `remindedDays` is the smallest threshold already sent (null: none).
 */
export function dueReminder(expiresAt: Date, now: Date, thresholds: readonly number[], remindedDays: number | null): number | null {
  const left = expiresAt.getTime() - now.getTime();
  if (left <= 0) return null;
  let due: number | null = null;
  for (const days of thresholds) {
    if (left <= days * DAY_MS && (due === null || days < due)) due = days;
  }
  if (due === null) return null;
  return remindedDays === null || due < remindedDays ? due : null;
}

/** Whole days left, rounded up, as a person counts them ("expires in 3 days"). */
export function daysLeft(expiresAt: Date, now: Date): number {
  return Math.max(0, Math.ceil((expiresAt.getTime() - now.getTime()) / DAY_MS));
}

/** The window a reminder pass has to look at: tokens expiring within the largest threshold. */
export function reminderHorizon(now: Date, thresholds: readonly number[]): Date {
  return new Date(now.getTime() + Math.max(...thresholds) * DAY_MS);
}
