import { Scope, Scopes } from '@latchkey/contracts';

const RANK: Record<Scope, number> = { read: 1, write: 2, admin: 3 };

export function scopeRank(scope: Scope): number {
  return RANK[scope];
}

/** The highest of the scopes (read < write < admin); null for an empty list. */
export function highestScope(scopes: readonly Scope[]): Scope | null {
  let best: Scope | null = null;
  for (const s of scopes) if (RANK[s] !== undefined && (best === null || RANK[s] > RANK[best])) best = s;
  return best;
}

/** true when `scope` is within `max` (write includes read; admin includes everything). */
export function scopeWithin(scope: Scope, max: Scope): boolean {
  return RANK[scope] <= RANK[max];
}

export function isScope(value: unknown): value is Scope {
  return typeof value === 'string' && (Scopes as readonly string[]).includes(value);
}
