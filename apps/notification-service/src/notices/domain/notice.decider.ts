import { TokenEvent, TokenEventTypes, TokenRevokedData } from '@latchkey/contracts';
import { Notice, NoticeToken } from './notice';

const tokenOf = (e: TokenEvent): NoticeToken => ({ id: e.state.id, name: e.state.name, hint: e.state.hint, expiresAt: e.state.expiresAt });

/** Revocations the owner did not ask for themselves, by machine-readable cause. */
const REVOKED_BY_OTHERS = new Set(['admin', 'bulk', 'leaked', 'owner-deactivated', 'rfc7009']);

/**
 * Which notices a token event causes (pure). The owner hears about what happened to their token without them:
 * created on their behalf, revoked by someone or something else (with who and why), a rotated-away secret
 * presented again (reuse detected), expired. What they did themselves is not news to them.
 */
export function noticesForTokenEvent(event: TokenEvent): Notice[] {
  const base = { userId: event.state.ownerId, token: tokenOf(event), occurredAt: event.occurredAt, sourceEventId: event.eventId };
  const by = { userId: event.actor.userId, via: event.actor.via };
  switch (event.type) {
    case TokenEventTypes.issued: {
      const creator = event.state.createdBy ?? event.actor.userId;
      if (creator === event.state.ownerId) return [];
      return [{ ...base, key: `created-on-behalf:${event.eventId}`, kind: 'created-on-behalf', by: { userId: creator, via: event.actor.via } }];
    }
    case TokenEventTypes.revoked: {
      const data = event.data as TokenRevokedData;
      const cause = data.cause ?? (event.actor.userId === event.state.ownerId ? 'user' : 'admin');
      if (cause === 'reuse-detected') {
        return [{ ...base, key: `reuse-detected:${event.eventId}`, kind: 'reuse-detected', by, reason: data.reason, cause }];
      }
      const byOwner = event.actor.userId === event.state.ownerId && !REVOKED_BY_OTHERS.has(cause);
      if (byOwner) return [];
      return [{ ...base, key: `revoked:${event.eventId}`, kind: 'revoked', by, reason: data.reason, cause }];
    }
    case TokenEventTypes.expired:
      return [{ ...base, key: `expired:${event.state.id}`, kind: 'expired' }];
    default:
      return [];
  }
}

/** An event older than maxAgeMs (history replayed by a new consumer group) changes state but tells nobody. */
export function isTooOldToNotify(occurredAt: string, now: Date, maxAgeMs: number): boolean {
  const at = Date.parse(occurredAt);
  return Number.isNaN(at) || now.getTime() - at > maxAgeMs;
}
