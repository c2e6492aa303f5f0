import { EventEnvelope, RevocationAck } from '@latchkey/contracts';

/** Tells the live validation replicas of committed revocations, and waits until every one has applied them. */
export interface RevocationAcknowledgements {
  /**
   * Hands committed token events straight to the replicas (a fast lane beside the outbox and the token topic,
   * which stay the durable path). Best effort and never throws: a replica that misses it reads the topic.
   */
  announce(events: EventEnvelope[]): void;
  waitFor(eventIds: string[], boundMs: number): Promise<RevocationAck>;
}
export const REVOCATION_ACKNOWLEDGEMENTS = Symbol('REVOCATION_ACKNOWLEDGEMENTS');
