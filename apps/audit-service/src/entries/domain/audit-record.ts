import { ChainContent, ContentHashes, hashContent } from '../../chain/domain/hash-chain';

/** Which contract topic an entry came from. */
export const AuditCategories = ['token', 'directory', 'policy', 'decision', 'usage', 'notification', 'other'] as const;
export type AuditCategory = (typeof AuditCategories)[number];
export type AuditOutcome = 'success' | 'failure';

/** Categories whose entries retention may erase the detail of (IP, user agent, payload). */
export const PRUNABLE_CATEGORIES: readonly AuditCategory[] = ['decision', 'usage'];

/** Every action the log knows how to read; query filters accept only these. */
export const KnownActions = [
  'TokenIssued',
  'TokenRenamed',
  'TokenRotated',
  'TokenRevoked',
  'TokenExpired',
  'UserProvisioned',
  'UserUpdated',
  'UserDeactivated',
  'UserReactivated',
  'GroupCreated',
  'GroupDeleted',
  'MemberAdded',
  'MemberRemoved',
  'PolicyChanged',
  'AccessDenied',
  'TokenUsage',
  'NotificationSent',
  'NotificationDeadLettered',
] as const;
export type KnownAction = (typeof KnownActions)[number];

/** One audit entry in the form a person reads it: when, who, on whose behalf, what, about what, from where, how it ended. */
export interface AuditRecord {
  /** the event's id (decisionId / usageId for denials and usage summaries): unique, the dedupe key */
  eventId: string;
  /** the physical topic it was read from */
  topic: string;
  type: string;
  category: AuditCategory;
  action: string;
  outcome: AuditOutcome;
  /** why: a revocation reason, a denial code */
  reason: string | null;
  aggregateType: string;
  aggregateId: string;
  version: number | null;
  occurredAt: string;
  /** who acted (null when nobody could be identified, e.g. a denial of an unknown token) */
  actorId: string | null;
  actorVia: string | null;
  /** the Latchkey token the actor used */
  actorTokenId: string | null;
  onBehalfOf: string | null;
  /** the owner of the token concerned */
  ownerId: string | null;
  tokenId: string | null;
  /** the user concerned (a token's owner, a provisioned user, a member) */
  userId: string | null;
  groupId: string | null;
  ip: string | null;
  userAgent: string | null;
  /** the message as received, secrets redacted */
  payload: Record<string, unknown>;
}

/** A stored entry: the record plus its place in the hash chain. */
export interface AuditEntry extends Omit<AuditRecord, 'payload' | 'ip' | 'userAgent'> {
  seq: number;
  recordedAt: string;
  prevHash: string;
  hash: string;
  detailHash: string;
  contentHash: string;
  /** set when retention erased the detail: payload, ip and userAgent are then null */
  erasedAt: string | null;
  payload: Record<string, unknown> | null;
  ip: string | null;
  userAgent: string | null;
}

/** What the chain hashes of a record: everything but the erasable detail goes into the summary. */
export function chainContentOf(r: AuditRecord): ChainContent {
  const { payload, ip, userAgent, ...summary } = r;
  return { summary: { ...summary }, detail: { payload, ip, userAgent } };
}

/** A record with its content hashes, computed before the append takes the chain head (off the serialised path). */
export interface HashedRecord {
  record: AuditRecord;
  hashes: ContentHashes;
}

export function hashRecord(record: AuditRecord): HashedRecord {
  return { record, hashes: hashContent(chainContentOf(record)) };
}

/** The summary of a stored entry, exactly as chainContentOf built it at append time. */
export function summaryOf(e: AuditEntry): Record<string, unknown> {
  return {
    eventId: e.eventId,
    topic: e.topic,
    type: e.type,
    category: e.category,
    action: e.action,
    outcome: e.outcome,
    reason: e.reason,
    aggregateType: e.aggregateType,
    aggregateId: e.aggregateId,
    version: e.version,
    occurredAt: e.occurredAt,
    actorId: e.actorId,
    actorVia: e.actorVia,
    actorTokenId: e.actorTokenId,
    onBehalfOf: e.onBehalfOf,
    ownerId: e.ownerId,
    tokenId: e.tokenId,
    userId: e.userId,
    groupId: e.groupId,
  };
}

export function detailOf(e: AuditEntry): Record<string, unknown> | null {
  return e.erasedAt || e.payload === null ? null : { payload: e.payload, ip: e.ip, userAgent: e.userAgent };
}
