/**
 * Exponential back-off with jitter (pure): attempt n (from 1) waits base * 2^(n-1), scaled by a random factor in
 * [0.75, 1), capped at maxMs. The factor's range keeps every delay longer than the one before it (the next one's
 * least is 1.5 times this one's most), so retries never bunch up, while replicas retrying together still spread out.
 */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const exponential = baseMs * 2 ** Math.max(0, attempt - 1);
  return Math.round(Math.min(maxMs, exponential * (0.75 + 0.25 * random())));
}

export type AttemptOutcome = { ok: true; detail: string } | { ok: false; detail: string };

export type NextStep =
  | { status: 'sent' }
  | { status: 'pending'; retryInMs: number }
  | { status: 'dead' };

/** What happens to a delivery after an attempt (pure). */
export function afterAttempt(
  outcome: AttemptOutcome,
  attempts: number,
  policy: { maxAttempts: number; baseMs: number; maxMs: number },
  random: () => number,
): NextStep {
  if (outcome.ok) return { status: 'sent' };
  if (attempts >= policy.maxAttempts) return { status: 'dead' };
  return { status: 'pending', retryInMs: retryDelayMs(attempts, policy.baseMs, policy.maxMs, random) };
}
