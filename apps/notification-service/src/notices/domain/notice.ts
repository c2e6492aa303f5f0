import { NoticeKind } from '@latchkey/contracts';

/** What a person recognises a token by: never its secret. */
export interface NoticeToken {
  id: string;
  name: string;
  /** prefix + last 4 characters */
  hint: string;
  expiresAt: string | null;
}

/** Who did it, as the event says (userId may be `system` for the service's own decisions). */
export interface NoticeActor {
  userId: string;
  via: string;
}

/** The admin digest's facts (see digest/domain). */
export interface DigestFacts {
  day: string;
  expiringSoon: { count: number; withinDays: number; sample: Array<NoticeToken & { ownerId: string }> };
  neverUsed: { count: number; olderThanDays: number; sample: Array<NoticeToken & { ownerId: string; createdAt: string }> };
  denials: { last24h: number; dailyAverage: number; spike: boolean; byCode: Record<string, number> };
}

/**
 * One thing to tell someone, before it is fanned out to channels. `key` is unique per notice: the same event or
 * reminder always yields the same key, which is what makes re-processing harmless.
 */
export interface Notice {
  key: string;
  kind: NoticeKind;
  /** the user told (a token's owner); null for the admin digest */
  userId: string | null;
  token: NoticeToken | null;
  occurredAt: string;
  /** the event id that caused it, or reminder:/digest: keys */
  sourceEventId: string;
  by?: NoticeActor;
  reason?: string;
  cause?: string;
  daysLeft?: number;
  digest?: DigestFacts;
}
