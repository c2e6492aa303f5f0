import { EventHeaders, isEventEnvelope, Topics } from '@latchkey/contracts';
import { AuditCategory, AuditRecord } from '../../entries/domain/audit-record';
import { redactSecrets } from './redact-secrets';

/** Why a message was not recorded: the `reason` label of latchkey_audit_rejected_total and of the dead letter. */
export const RejectionReasons = {
  /** empty value, or not JSON */
  notJson: 'not_json',
  /** JSON, but neither an event envelope, a denial nor a usage summary */
  notEnvelope: 'not_envelope',
  /** a known shape with a field the log cannot store as given (bad id, bad date, ...) */
  invalidField: 'invalid_field',
  /** the database refused the row as data (not an outage) */
  unstorable: 'unstorable',
} as const;
export type RejectionReason = (typeof RejectionReasons)[keyof typeof RejectionReasons];

export type DecodeResult =
  | { kind: 'record'; record: AuditRecord }
  /** not an event at all (the token topic's heartbeats): neither stored nor rejected */
  | { kind: 'ignored'; why: string }
  | { kind: 'rejected'; reason: RejectionReason; detail: string };

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const MAX_VERSION = 2_147_483_647;
const MAX_MESSAGE_CHARS = 512 * 1024;
const MAX_FIELD_CHARS = 1024;
const HEARTBEAT = 'Heartbeat';

/** PostgreSQL text and jsonb cannot hold U+0000, in values or keys. */
function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(containsNul);
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).some(([k, v]) => k.includes('\u0000') || containsNul(v));
  }
  return false;
}

const reject = (reason: RejectionReason, detail: string): DecodeResult => ({ kind: 'rejected', reason, detail });

/** The contract topic a physical topic name stands for (a namespace may prefix it). */
export function categoryOfTopic(topic: string): AuditCategory {
  for (const [key, name] of Object.entries(Topics)) {
    if (key !== 'audit' && (topic === name || topic.endsWith(`.${name}`))) return key as AuditCategory;
  }
  return 'other';
}

type Json = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v.slice(0, MAX_FIELD_CHARS) : null);
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const isoDate = (v: unknown): string | null => {
  if (typeof v !== 'string') return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
};

/**
 * Turns one message of an event topic into the entry to record, says it is to be ignored, or why it cannot be
 * one. Three shapes are known: the event envelope (token, directory, policy), a denial (AccessDenied) and a usage
 * summary (TokenUsage); anything else is rejected. Pure.
 */
export function decodeAuditMessage(topic: string, value: string, headers: Record<string, string> = {}): DecodeResult {
  if (headers[EventHeaders.type] === HEARTBEAT) return { kind: 'ignored', why: 'heartbeat' };
  if (value.trim() === '') return reject(RejectionReasons.notJson, 'empty message');
  if (value.length > MAX_MESSAGE_CHARS) return reject(RejectionReasons.invalidField, 'message is larger than 512 KiB');
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return reject(RejectionReasons.notJson, 'message is not JSON');
  }
  const m = obj(parsed);
  if (m.type === HEARTBEAT) return { kind: 'ignored', why: 'heartbeat' };
  if (containsNul(parsed)) return reject(RejectionReasons.invalidField, 'message contains U+0000');
  const category = categoryOfTopic(topic);
  if (isEventEnvelope(parsed)) return fromEnvelope(topic, category, m);
  if (m.type === 'AccessDenied' && typeof m.decisionId === 'string') return fromDenial(topic, m);
  if (m.type === 'TokenUsage' && typeof m.usageId === 'string') return fromUsage(topic, m);
  return reject(RejectionReasons.notEnvelope, 'message is not an event envelope, a denial or a usage summary');
}

function checkId(id: string, field: string): DecodeResult | null {
  return ID.test(id) ? null : reject(RejectionReasons.invalidField, `${field} is not an id (letters, digits, ._:- up to 128)`);
}

function fromEnvelope(topic: string, category: AuditCategory, e: Json): DecodeResult {
  const eventId = String(e.eventId);
  const bad = checkId(eventId, 'eventId');
  if (bad) return bad;
  const version = e.version as number;
  if (version > MAX_VERSION) return reject(RejectionReasons.invalidField, 'version is out of range');
  const occurredAt = isoDate(e.occurredAt);
  if (!occurredAt) return reject(RejectionReasons.invalidField, 'occurredAt is not a date');
  const type = String(e.type);
  const aggregateType = String(e.aggregateType);
  const aggregateId = String(e.aggregateId);
  if (type.length > 100 || aggregateType.length > 100 || aggregateId.length > 200) {
    return reject(RejectionReasons.invalidField, 'type, aggregateType or aggregateId is too long');
  }
  const actor = obj(e.actor);
  const data = obj(e.data);
  const state = obj(e.state);
  const isToken = aggregateType === 'token';
  const ownerId = str(state.ownerId) ?? str(data.ownerId);
  const tokenId = isToken ? aggregateId : str(data.tokenId);
  const userId =
    str(data.userId) ?? (aggregateType === 'user' ? aggregateId : null) ?? (isToken ? ownerId : null);
  const groupId = str(data.groupId) ?? (aggregateType === 'group' ? aggregateId : null);
  return {
    kind: 'record',
    record: {
      eventId: eventId.toLowerCase(),
      topic,
      type,
      category: category === 'other' ? guessCategory(aggregateType) : category,
      action: type,
      outcome: 'success',
      reason: str(data.reason),
      aggregateType,
      aggregateId,
      version,
      occurredAt,
      actorId: str(actor.userId),
      actorVia: str(actor.via),
      actorTokenId: str(actor.tokenId),
      onBehalfOf: str(actor.onBehalfOf),
      ownerId,
      tokenId,
      userId,
      groupId,
      ip: str(actor.ip) ?? str(data.ip) ?? str(data.sourceIp),
      userAgent: str(actor.userAgent) ?? str(data.userAgent),
      payload: redactSecrets(e) as Json,
    },
  };
}

function guessCategory(aggregateType: string): AuditCategory {
  if (aggregateType === 'token') return 'token';
  if (aggregateType === 'user' || aggregateType === 'group') return 'directory';
  if (aggregateType === 'policy') return 'policy';
  if (aggregateType === 'notification') return 'notification';
  return 'other';
}

function fromDenial(topic: string, d: Json): DecodeResult {
  const eventId = String(d.decisionId);
  const bad = checkId(eventId, 'decisionId');
  if (bad) return bad;
  const occurredAt = isoDate(d.occurredAt);
  if (!occurredAt) return reject(RejectionReasons.invalidField, 'occurredAt is not a date');
  const code = str(d.code);
  const ip = str(d.ip);
  if (!code || !ip) return reject(RejectionReasons.invalidField, 'a denial needs a code and an ip');
  const tokenId = str(d.tokenId);
  const userId = str(d.userId);
  return {
    kind: 'record',
    record: {
      eventId: eventId.toLowerCase(),
      topic,
      type: 'AccessDenied',
      category: 'decision',
      action: 'AccessDenied',
      outcome: 'failure',
      reason: code,
      aggregateType: 'decision',
      aggregateId: tokenId ?? ip,
      version: null,
      occurredAt,
      actorId: userId,
      actorVia: userId ? 'latchkey-token' : null,
      actorTokenId: tokenId,
      onBehalfOf: null,
      ownerId: userId,
      tokenId,
      userId,
      groupId: null,
      ip,
      userAgent: str(d.userAgent),
      payload: redactSecrets(d) as Json,
    },
  };
}

function fromUsage(topic: string, u: Json): DecodeResult {
  const eventId = String(u.usageId);
  const bad = checkId(eventId, 'usageId');
  if (bad) return bad;
  const occurredAt = isoDate(u.lastUsedAt);
  if (!occurredAt) return reject(RejectionReasons.invalidField, 'lastUsedAt is not a date');
  const tokenId = str(u.tokenId);
  if (!tokenId || typeof u.count !== 'number') return reject(RejectionReasons.invalidField, 'a usage summary needs a tokenId and a count');
  const userId = str(u.userId);
  return {
    kind: 'record',
    record: {
      eventId: eventId.toLowerCase(),
      topic,
      type: 'TokenUsage',
      category: 'usage',
      action: 'TokenUsage',
      outcome: 'success',
      reason: null,
      aggregateType: 'usage',
      aggregateId: tokenId,
      version: null,
      occurredAt,
      actorId: userId,
      actorVia: 'latchkey-token',
      actorTokenId: tokenId,
      onBehalfOf: null,
      ownerId: userId,
      tokenId,
      userId,
      groupId: null,
      ip: str(u.lastIp),
      userAgent: str(u.lastUserAgent),
      payload: redactSecrets(u) as Json,
    },
  };
}
