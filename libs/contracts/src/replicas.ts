/**
 * How validation replicas tell the token-service what they have applied (acknowledged revocation), through Redis.
 * - every replica ZADDs itself to `replicasKey` with score = now (ms) every second: live = seen in the last 3 s;
 * - after applying a token event, a replica PUBLISHes an AppliedEventNotice on `appliedChannel`.
 * The revoking token-service waits until every live replica has published the revoke's eventId, or a bound.
 * - the revoking token-service also PUBLISHes the revocation's token events (EventEnvelope JSON) on
 *   `revocationChannel` right after they commit: a fast lane beside the token topic, which stays the durable path
 *   (replicas apply whichever copy comes first; token states are version-guarded, so the second changes nothing).
 */
export const REPLICA_LIVENESS_MS = 3000;
export const REPLICA_HEARTBEAT_MS = 1000;

function ns(namespace: string): string {
  return namespace || 'default';
}

export function replicasKey(namespace: string): string {
  return `lk:vs:{${ns(namespace)}}:replicas`;
}

export function appliedChannel(namespace: string): string {
  return `lk:vs:{${ns(namespace)}}:applied`;
}

export function revocationChannel(namespace: string): string {
  return `lk:vs:{${ns(namespace)}}:revocations`;
}

export interface AppliedEventNotice {
  replicaId: string;
  eventId: string;
  aggregateId: string;
  version: number;
}

/** What a revoke answers about propagation. */
export interface RevocationAck {
  replicas: number;
  confirmed: number;
  waitedMs: number;
}
