import { EventHeaders } from './envelope';

export const HEARTBEAT_TYPE = 'Heartbeat';
export const HEARTBEAT_AGGREGATE = 'heartbeat';
/** how often token-service sends one heartbeat to every partition of the token topic */
export const HEARTBEAT_INTERVAL_MS = 1000;

/**
 * A liveness beacon sent through the token topic (one per partition per second), so a validation replica can
 * prove it is current: having read a heartbeat sent at T, it has read everything published to that partition
 * before T. Not an event: never stored, never audited; every consumer of the token topic must skip it.
 */
export interface Heartbeat {
  type: typeof HEARTBEAT_TYPE;
  aggregateType: typeof HEARTBEAT_AGGREGATE;
  /** the sender (token-service instance) */
  source: string;
  /** sender's clock, ISO 8601 */
  sentAt: string;
  /** the partition this copy was sent to, and how many the topic had */
  partition: number;
  partitions: number;
  /** increments with every round of heartbeats from this sender */
  seq: number;
}

/** Header value of `latchkey-event-type` on heartbeat messages, so consumers can skip them without parsing. */
export const HEARTBEAT_HEADERS = { [EventHeaders.type]: HEARTBEAT_TYPE, [EventHeaders.aggregateType]: HEARTBEAT_AGGREGATE } as const;

export function isHeartbeat(value: unknown): value is Heartbeat {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    v.type === HEARTBEAT_TYPE &&
    v.aggregateType === HEARTBEAT_AGGREGATE &&
    typeof v.sentAt === 'string' &&
    typeof v.partition === 'number' &&
    typeof v.partitions === 'number' &&
    typeof v.seq === 'number'
  );
}

/** True for a Kafka message carrying a heartbeat, judged by its headers alone. */
export function isHeartbeatMessage(headers: Record<string, string | undefined>): boolean {
  return headers[EventHeaders.type] === HEARTBEAT_TYPE;
}
