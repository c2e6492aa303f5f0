import { Actor } from '@latchkey/contracts';

/** An event as the audit log records it, before it has an id. */
export interface NewAuditEntry {
  eventId: string;
  topic: string;
  type: string;
  aggregateType: string;
  aggregateId: string;
  version: number;
  actor: Actor;
  occurredAt: string;
  /** the whole envelope as received (for token events it includes the resulting token state) */
  payload: Record<string, unknown>;
}

/** A recorded audit entry, as the query API returns it. */
export interface AuditEntry extends NewAuditEntry {
  id: number;
  recordedAt: string;
}

export interface AuditEntryFilter {
  /** entries about this token, or made with it (actor.tokenId) */
  tokenId?: string;
  aggregateId?: string;
  type?: string;
  limit: number;
}

export type InsertOutcome = 'inserted' | 'duplicate';

/** The entry cannot be stored however often it is retried (a data error, not an outage). */
export class UnstorableEntryError extends Error {
  constructor(readonly sqlState: string, message: string) {
    super(message);
    this.name = 'UnstorableEntryError';
  }
}
