import { Inject, Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { NOTIFICATION_SERVICE_CONFIG, NotificationServiceConfig } from '../config/notification-service.config';
import { SqlTransaction } from '../database/sql';
import { DeliveryRepository } from '../delivery/delivery.repository';
import { NewDelivery } from '../delivery/delivery.types';
import { webhookPayload } from '../delivery/domain/webhook-payload';
import { DeliveryPlan, digestChannels, selectChannels } from '../preferences/domain/channel-selection';
import { PreferencesRepository } from '../preferences/preferences.repository';
import { ViewRepository } from '../view/view.repository';
import { WebhookEndpointRepository } from '../webhooks/webhook-endpoint.repository';
import { Notice } from './domain/notice';
import { renderEmail } from './domain/notice-templates';

/**
 * Turns notices into queued deliveries inside the caller's transaction: looks up the recipients (one query per
 * batch), their preferences, the mandatory notices and the endpoints, chooses the channels, renders the content.
 */
@Injectable()
export class NoticeFanoutService {
  constructor(
    private readonly view: ViewRepository,
    private readonly preferences: PreferencesRepository,
    private readonly endpoints: WebhookEndpointRepository,
    private readonly deliveries: DeliveryRepository,
    @Inject(NOTIFICATION_SERVICE_CONFIG) private readonly config: NotificationServiceConfig,
  ) {}

  /** queues the deliveries of these notices; the number of new deliveries */
  async fanOut(tx: SqlTransaction, notices: Notice[]): Promise<number> {
    if (notices.length === 0) return 0;
    const userIds = [...new Set(notices.flatMap((n) => (n.userId ? [n.userId] : [])))];
    const recipients = await this.view.recipients(userIds, tx);
    const prefKeys = [...new Set([...userIds, ...[...recipients.values()].flatMap((r) => [r.id, r.userName])])];
    const prefs = await this.preferences.forUsers(prefKeys, tx);
    const mandatory = await this.preferences.mandatory(tx);
    const endpoints = await this.endpoints.active(tx);
    const digestEmails = notices.some((n) => n.kind === 'admin-digest')
      ? [...this.config.LATCHKEY_NOTIFY_ADMIN_EMAILS, ...(await this.view.groupEmails(this.config.LATCHKEY_ADMIN_GROUP, tx))]
      : [];
    const rows: NewDelivery[] = [];
    for (const notice of notices) {
      let plans: DeliveryPlan[];
      if (notice.kind === 'admin-digest') {
        plans = digestChannels(digestEmails, endpoints);
      } else {
        const recipient = notice.userId ? recipients.get(notice.userId) ?? null : null;
        // preferences are stored under the id the user signed in with: the immutable id or the user name
        const userPrefs = recipient ? [...(prefs.get(recipient.id) ?? []), ...(prefs.get(recipient.userName) ?? [])] : prefs.get(notice.userId ?? '') ?? [];
        plans = selectChannels(notice, recipient, userPrefs, mandatory, endpoints);
      }
      for (const plan of plans) rows.push(this.delivery(notice, plan));
    }
    return this.deliveries.enqueue(tx, rows);
  }

  private delivery(notice: Notice, plan: DeliveryPlan): NewDelivery {
    const content: NewDelivery['content'] =
      plan.channel === 'email'
        ? { channel: 'email', ...renderEmail(notice) }
        : { channel: 'webhook', format: plan.endpoint!.format, url: plan.endpoint!.url, body: JSON.stringify(webhookPayload(notice, plan.endpoint!.format)) };
    return {
      id: uuidv7(),
      dedupeKey: `${notice.key}:${plan.channel}:${plan.recipient.toLowerCase()}`,
      noticeKey: notice.key,
      kind: notice.kind,
      channel: plan.channel,
      userId: notice.userId,
      tokenId: notice.token?.id ?? null,
      recipient: plan.recipient,
      endpointId: plan.channel === 'webhook' ? plan.recipient : null,
      content,
      sourceEventId: notice.sourceEventId,
    };
  }
}
