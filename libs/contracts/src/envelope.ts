/** How the actor authenticated when the change was made. */
export type ActorVia = 'latchkey-token' | 'oidc' | 'bootstrap' | 'scim' | 'system';

/** Who did it, and on whose behalf. */
export interface Actor {
  userId: string;
  via: ActorVia;
  /** the Latchkey token the actor used, when via = latchkey-token */
  tokenId?: string;
  /** the owner the change was made for, when it differs from userId */
  onBehalfOf?: string;
}

export const SYSTEM_ACTOR: Actor = { userId: 'system', via: 'system' };

/** Every event, on every topic, is wrapped in this envelope. */
export interface EventEnvelope<TType extends string = string, TData = unknown> {
  eventId: string;
  type: TType;
  aggregateType: string;
  aggregateId: string;
  /** position of this event in its aggregate's stream, from 1 */
  version: number;
  occurredAt: string;
  actor: Actor;
  data: TData;
}

/** Kafka message headers every published event carries, so consumers can route without parsing. */
export const EventHeaders = {
  eventId: 'latchkey-event-id',
  type: 'latchkey-event-type',
  aggregateType: 'latchkey-aggregate-type',
} as const;

export function isEventEnvelope(value: unknown): value is EventEnvelope {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.eventId === 'string' &&
    typeof v.type === 'string' &&
    typeof v.aggregateType === 'string' &&
    typeof v.aggregateId === 'string' &&
    typeof v.version === 'number' &&
    Number.isInteger(v.version) &&
    v.version >= 1 &&
    typeof v.occurredAt === 'string' &&
    typeof v.actor === 'object' &&
    v.actor !== null &&
    typeof (v.actor as Record<string, unknown>).userId === 'string' &&
    'data' in v
  );
}
