/**
 * A message on `latchkey.usage.v1`: the uses of one token seen by one validation replica in one window
 * (at most one message per token per second per replica). Keyed by tokenId. Only VALID uses count.
 */
export interface TokenUsage {
  type: 'TokenUsage';
  /** unique per message, for idempotent consumers */
  usageId: string;
  tokenId: string;
  userId: string;
  replicaId: string;
  count: number;
  firstUsedAt: string;
  lastUsedAt: string;
  lastIp: string;
  lastUserAgent: string | null;
}

export function isTokenUsage(value: unknown): value is TokenUsage {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    v.type === 'TokenUsage' &&
    typeof v.usageId === 'string' &&
    typeof v.tokenId === 'string' &&
    typeof v.count === 'number' &&
    typeof v.lastUsedAt === 'string'
  );
}
