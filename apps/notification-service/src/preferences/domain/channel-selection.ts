import { NoticeKind, NotificationChannel } from '@latchkey/contracts';
import { Notice } from '../../notices/domain/notice';
import { WebhookFormat } from '../../delivery/domain/webhook-payload';

/** A directory user as far as notices need one. */
export interface Recipient {
  id: string;
  userName: string;
  email: string | null;
  active: boolean;
}

/** A user's choice for one kind and channel; absent = on. */
export interface Preference {
  kind: NoticeKind;
  channel: NotificationChannel;
  enabled: boolean;
}

/** Notices administrators require: sent whatever the user's preference says. */
export interface MandatoryNotice {
  kind: NoticeKind;
  channel: NotificationChannel;
}

export interface WebhookEndpoint {
  id: string;
  /** the user whose notices it receives; null = every user's (registered by an administrator) */
  ownerId: string | null;
  url: string;
  format: WebhookFormat;
  /** empty = all kinds */
  kinds: NoticeKind[];
  active: boolean;
}

/** One delivery to create: the notice through one channel to one address or endpoint. */
export interface DeliveryPlan {
  channel: NotificationChannel;
  /** e-mail address or webhook endpoint id */
  recipient: string;
  endpoint?: WebhookEndpoint;
}

export function isEnabled(kind: NoticeKind, channel: NotificationChannel, prefs: readonly Preference[], mandatory: readonly MandatoryNotice[]): boolean {
  if (mandatory.some((m) => m.kind === kind && m.channel === channel)) return true;
  return prefs.find((p) => p.kind === kind && p.channel === channel)?.enabled ?? true;
}

/**
 * Where a user's notice goes (pure): their e-mail (from the directory) unless they turned that kind off and no
 * admin policy requires it; their own webhook endpoints likewise; administrators' all-users endpoints always.
 * A deactivated or unknown user gets no e-mail (nobody reads it), but the admins' endpoints still hear of it.
 */
export function selectChannels(
  notice: Notice,
  recipient: Recipient | null,
  prefs: readonly Preference[],
  mandatory: readonly MandatoryNotice[],
  endpoints: readonly WebhookEndpoint[],
): DeliveryPlan[] {
  const plans: DeliveryPlan[] = [];
  if (recipient?.active && recipient.email && isEnabled(notice.kind, 'email', prefs, mandatory)) {
    plans.push({ channel: 'email', recipient: recipient.email });
  }
  const owns = (e: WebhookEndpoint) =>
    e.ownerId !== null && (e.ownerId === notice.userId || (recipient !== null && (e.ownerId === recipient.id || e.ownerId.toLowerCase() === recipient.userName.toLowerCase())));
  const wantsKind = (e: WebhookEndpoint) => e.kinds.length === 0 || e.kinds.includes(notice.kind);
  const userWebhooks = isEnabled(notice.kind, 'webhook', prefs, mandatory);
  for (const e of endpoints) {
    if (!e.active || !wantsKind(e)) continue;
    if (e.ownerId === null || (userWebhooks && owns(e))) plans.push({ channel: 'webhook', recipient: e.id, endpoint: e });
  }
  return plans;
}

/** The admin digest goes to the admins' addresses and to all-users endpoints that asked for it by name. */
export function digestChannels(emails: readonly string[], endpoints: readonly WebhookEndpoint[]): DeliveryPlan[] {
  return [
    ...[...new Set(emails.map((e) => e.toLowerCase()))].map((e) => ({ channel: 'email' as const, recipient: e })),
    ...endpoints.filter((e) => e.active && e.ownerId === null && e.kinds.includes('admin-digest')).map((e) => ({ channel: 'webhook' as const, recipient: e.id, endpoint: e })),
  ];
}
