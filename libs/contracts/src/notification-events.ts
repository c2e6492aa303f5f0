import { EventEnvelope } from './envelope';

/** Notification events (latchkey.notification.v1): one per delivery that ended, keyed by the delivery id. */
export const NOTIFICATION_AGGREGATE = 'notification';

/** What a notice is about: the preference and mandatory-policy keys too. */
export const NoticeKinds = ['expiry-reminder', 'expired', 'revoked', 'created-on-behalf', 'reuse-detected', 'admin-digest'] as const;
export type NoticeKind = (typeof NoticeKinds)[number];

export const NotificationChannels = ['email', 'webhook'] as const;
export type NotificationChannel = (typeof NotificationChannels)[number];

export const NotificationEventTypes = {
  /** the receiver accepted it (SMTP 250, HTTP 2xx) */
  sent: 'NotificationSent',
  /** every attempt failed: the delivery is in the dead-letter store until an admin replays it */
  deadLettered: 'NotificationDeadLettered',
} as const;
export type NotificationEventType = (typeof NotificationEventTypes)[keyof typeof NotificationEventTypes];

/**
 * What the audit log keeps of a delivery: who was told what about which token, where, on which attempt.
 * Never the message body, a webhook secret or a token secret.
 */
export interface NotificationEventData {
  deliveryId: string;
  noticeId: string;
  kind: NoticeKind;
  channel: NotificationChannel;
  /** the user the notice is for (null for an admin digest to a configured address) */
  userId: string | null;
  tokenId: string | null;
  /** an e-mail address, or the webhook endpoint's id */
  recipient: string;
  attempts: number;
  /** the event that caused the notice (a token event id, or digest:<day>) */
  sourceEventId: string;
  /** the last failure, for a dead letter */
  reason?: string;
}

export type NotificationEvent = EventEnvelope<NotificationEventType, NotificationEventData>;
