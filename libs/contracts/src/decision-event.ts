import type { DecisionCode } from './decision';

/** Where the question came from: the adapter that asked the validation service. */
export type DecisionChannel = 'json' | 'nginx' | 'envoy' | 'introspect';

/**
 * A message on `latchkey.decision.v1`: one denial, as decided by one validation replica. Rate-limited per token and
 * per IP; `droppedBefore` says how many denials this replica dropped (rate limit or full buffer) since its last
 * message. Keyed by tokenId, or by IP when no token was identified (an invalid token never names a user).
 */
export interface DecisionEvent {
  type: 'AccessDenied';
  decisionId: string;
  occurredAt: string;
  replicaId: string;
  channel: DecisionChannel;
  code: DecisionCode;
  tokenId: string | null;
  userId: string | null;
  method: string;
  /** the request path, truncated to 512 characters */
  path: string;
  ip: string;
  userAgent: string | null;
  droppedBefore: number;
}

export function isDecisionEvent(value: unknown): value is DecisionEvent {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return v.type === 'AccessDenied' && typeof v.decisionId === 'string' && typeof v.code === 'string' && typeof v.ip === 'string';
}
