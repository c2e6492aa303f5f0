import { isIP } from 'node:net';
import type { AuditEcsRecord } from '@latchkey/contracts';
import { AuditEntry } from '../../entries/domain/audit-record';

export const ECS_VERSION = '8.11.0';

/** ECS event.category / event.type per action (https://www.elastic.co/guide/en/ecs/current/ecs-allowed-values-event-category.html). */
const CLASSIFICATION: Record<string, { category: string[]; type: string[] }> = {
  TokenIssued: { category: ['iam'], type: ['creation'] },
  TokenRenamed: { category: ['iam'], type: ['change'] },
  TokenRotated: { category: ['iam'], type: ['change'] },
  TokenRevoked: { category: ['iam'], type: ['deletion'] },
  TokenExpired: { category: ['iam'], type: ['deletion'] },
  UserProvisioned: { category: ['iam'], type: ['user', 'creation'] },
  UserUpdated: { category: ['iam'], type: ['user', 'change'] },
  UserDeactivated: { category: ['iam'], type: ['user', 'change'] },
  UserReactivated: { category: ['iam'], type: ['user', 'change'] },
  GroupCreated: { category: ['iam'], type: ['group', 'creation'] },
  GroupDeleted: { category: ['iam'], type: ['group', 'deletion'] },
  MemberAdded: { category: ['iam'], type: ['group', 'change'] },
  MemberRemoved: { category: ['iam'], type: ['group', 'change'] },
  PolicyChanged: { category: ['configuration'], type: ['change'] },
  AccessDenied: { category: ['authentication'], type: ['info'] },
  TokenUsage: { category: ['authentication'], type: ['access'] },
};

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The contract topic of a physical (maybe namespaced) topic name. */
function provider(topic: string): string {
  const m = /(latchkey\.[a-z]+\.v\d+)$/.exec(topic);
  return m ? m[1] : topic;
}

function describe(e: AuditEntry): string {
  const who = e.actorId ?? 'someone';
  const about = e.tokenId ? ` token ${e.tokenId}` : e.groupId ? ` group ${e.groupId}` : e.userId ? ` user ${e.userId}` : '';
  const behalf = e.onBehalfOf ? ` on behalf of ${e.onBehalfOf}` : '';
  const why = e.reason ? ` (${e.reason})` : '';
  return `${who} ${e.action}${about}${behalf}: ${e.outcome}${why}`;
}

/** One audit entry as an ECS record for the SIEM feed. Pure. */
export function toEcsRecord(e: AuditEntry): AuditEcsRecord {
  const cls = CLASSIFICATION[e.action] ?? { category: ['iam'], type: ['info'] };
  const payload = obj(e.payload);
  const state = obj(payload.state);
  const ip = e.ip ?? undefined;
  const relatedUsers = [...new Set([e.actorId, e.userId, e.ownerId, e.onBehalfOf].filter((u): u is string => !!u))];
  const record: AuditEcsRecord = {
    '@timestamp': e.occurredAt,
    ecs: { version: ECS_VERSION },
    message: describe(e),
    event: {
      id: e.eventId,
      kind: 'event',
      module: 'latchkey',
      dataset: 'latchkey.audit',
      provider: provider(e.topic),
      action: e.action,
      category: cls.category,
      type: cls.type,
      outcome: e.outcome,
      ...(e.reason ? { reason: e.reason } : {}),
      created: e.recordedAt,
      sequence: e.seq,
    },
    related: { user: relatedUsers, ...(ip ? { ip: [ip].filter((a) => isIP(a) !== 0) } : {}) },
    latchkey: {
      aggregate: { type: e.aggregateType, id: e.aggregateId, ...(e.version !== null ? { version: e.version } : {}) },
      chain: { seq: e.seq, hash: e.hash, prev_hash: e.prevHash },
    },
  };
  if (record.related.ip?.length === 0) delete record.related.ip;
  if (e.actorId) {
    record.user = { id: e.actorId, name: e.actorId };
    record.latchkey.actor = {
      id: e.actorId,
      ...(e.actorVia ? { via: e.actorVia } : {}),
      ...(e.actorTokenId ? { token_id: e.actorTokenId } : {}),
      ...(e.onBehalfOf ? { on_behalf_of: e.onBehalfOf } : {}),
    };
    const target = e.onBehalfOf ?? (e.userId && e.userId !== e.actorId ? e.userId : undefined);
    if (target) record.user.target = { id: target, name: target };
  }
  if (ip) record.source = { address: ip, ...(isIP(ip) !== 0 ? { ip } : {}) };
  if (e.userAgent) record.user_agent = { original: e.userAgent };
  if (e.groupId) record.group = { id: e.groupId, name: e.groupId };
  if (e.tokenId) {
    const scopes = Array.isArray(state.scopes) ? state.scopes.filter((s): s is string => typeof s === 'string') : undefined;
    record.latchkey.token = {
      id: e.tokenId,
      ...(e.ownerId ? { owner: e.ownerId } : {}),
      ...(str(state.name) ? { name: str(state.name) } : {}),
      ...(scopes ? { scopes } : {}),
      ...(str(state.status) ? { status: str(state.status) } : {}),
      ...('expiresAt' in state ? { expires_at: str(state.expiresAt) ?? null } : {}),
    };
  }
  if (e.erasedAt) record.latchkey.payload_erased = true;
  return record;
}
