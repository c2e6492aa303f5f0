import { isEventEnvelope } from '@latchkey/contracts';
import { NewAuditEntry } from '../../entries/audit-entry';

/** Why a message was not recorded: the `reason` label of latchkey_audit_rejected_total. */
export const RejectionReasons = {
  /** empty value, or not JSON */
  notJson: 'not_json',
  /** JSON, but not an event envelope */
  notEnvelope: 'not_envelope',
  /** an envelope with a field the log cannot store as given (event id not a UUID, bad date, ...) */
  invalidField: 'invalid_field',
  /** the database refused the row as data (not an outage) */
  unstorable: 'unstorable',
} as const;
export type RejectionReason = (typeof RejectionReasons)[keyof typeof RejectionReasons];

export type DecodeResult =
  | { ok: true; entry: NewAuditEntry }
  | { ok: false; reason: RejectionReason; detail: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_VERSION = 2_147_483_647;

/** PostgreSQL text and jsonb cannot hold U+0000, in values or keys. */
function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(containsNul);
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).some(([k, v]) => k.includes('\u0000') || containsNul(v));
  }
  return false;
}

const reject = (reason: RejectionReason, detail: string): DecodeResult => ({ ok: false, reason, detail });

/** Turns one message of an event topic into the entry to record, or says why it cannot be one. Pure. */
export function decodeAuditMessage(topic: string, value: string): DecodeResult {
  if (value.trim() === '') return reject(RejectionReasons.notJson, 'empty message');
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return reject(RejectionReasons.notJson, 'message is not JSON');
  }
  if (!isEventEnvelope(parsed)) return reject(RejectionReasons.notEnvelope, 'message is not an event envelope');
  const e = parsed;
  if (!UUID.test(e.eventId)) return reject(RejectionReasons.invalidField, 'eventId is not a UUID');
  if (e.version > MAX_VERSION) return reject(RejectionReasons.invalidField, 'version is out of range');
  const occurredAt = new Date(e.occurredAt);
  if (Number.isNaN(occurredAt.getTime())) return reject(RejectionReasons.invalidField, 'occurredAt is not a date');
  if (containsNul(parsed)) return reject(RejectionReasons.invalidField, 'message contains U+0000');
  return {
    ok: true,
    entry: {
      eventId: e.eventId.toLowerCase(),
      topic,
      type: e.type,
      aggregateType: e.aggregateType,
      aggregateId: e.aggregateId,
      version: e.version,
      actor: e.actor,
      occurredAt: occurredAt.toISOString(),
      payload: parsed as unknown as Record<string, unknown>,
    },
  };
}
