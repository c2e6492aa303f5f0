import { NoticeKind, NotificationChannel } from '@latchkey/contracts';
import { RenderedEmail } from '../notices/domain/notice-templates';
import { WebhookFormat } from './domain/webhook-payload';

export const DeliveryStatuses = ['pending', 'sending', 'sent', 'dead'] as const;
export type DeliveryStatus = (typeof DeliveryStatuses)[number];

/** What is sent: the rendered e-mail, or the webhook body (signed at each attempt, as the timestamp changes). */
export type DeliveryContent = ({ channel: 'email' } & RenderedEmail) | { channel: 'webhook'; format: WebhookFormat; url: string; body: string };

export interface NewDelivery {
  id: string;
  /** notice key + channel + recipient: the same notice never reaches the same place twice */
  dedupeKey: string;
  noticeKey: string;
  kind: NoticeKind;
  channel: NotificationChannel;
  userId: string | null;
  tokenId: string | null;
  recipient: string;
  endpointId: string | null;
  content: DeliveryContent;
  sourceEventId: string;
}

export interface Delivery extends NewDelivery {
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
}

export interface DeliveryAttempt {
  attempt: number;
  startedAt: string;
  durationMs: number;
  ok: boolean;
  detail: string;
}
