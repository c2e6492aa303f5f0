import { Inject, Injectable } from '@nestjs/common';
import { NOTIFICATION_SERVICE_CONFIG, NotificationServiceConfig } from '../config/notification-service.config';
import { WebhookEndpointRepository } from '../webhooks/webhook-endpoint.repository';
import { afterAttempt, AttemptOutcome } from './domain/retry-policy';
import { signatureHeaders } from './domain/standard-webhooks';
import { DeliveryRepository } from './delivery.repository';
import { Delivery } from './delivery.types';
import { MAIL_SENDER, MailSender } from './email/mail-sender.port';
import { WEBHOOK_SENDER, WebhookSender } from './webhook/webhook-sender.port';

export const DELIVERY_RANDOM = Symbol('DELIVERY_RANDOM');

/** One attempt of one claimed delivery: send it, then record the outcome and what comes next. */
@Injectable()
export class DeliveryService {
  constructor(
    private readonly deliveries: DeliveryRepository,
    private readonly endpoints: WebhookEndpointRepository,
    @Inject(MAIL_SENDER) private readonly mail: MailSender,
    @Inject(WEBHOOK_SENDER) private readonly webhooks: WebhookSender,
    @Inject(NOTIFICATION_SERVICE_CONFIG) private readonly config: NotificationServiceConfig,
    @Inject(DELIVERY_RANDOM) private readonly random: () => number,
  ) {}

  async attempt(delivery: Delivery): Promise<'sent' | 'pending' | 'dead'> {
    const started = new Date();
    const outcome = await this.send(delivery, started);
    const next = afterAttempt(
      outcome,
      delivery.attempts,
      { maxAttempts: this.config.LATCHKEY_NOTIFY_MAX_ATTEMPTS, baseMs: this.config.LATCHKEY_NOTIFY_RETRY_BASE_MS, maxMs: this.config.LATCHKEY_NOTIFY_RETRY_MAX_MS },
      this.random,
    );
    const attempt = { attempt: delivery.attempts, startedAt: started.toISOString(), durationMs: Date.now() - started.getTime(), ok: outcome.ok, detail: outcome.detail };
    await this.deliveries.record(delivery, next.status === 'pending' ? { status: 'pending', attempt, retryInMs: next.retryInMs } : { status: next.status, attempt });
    return next.status;
  }

  /** closes the SMTP connection pool (after the last attempt) */
  close(): Promise<void> {
    return this.mail.close();
  }

  private async send(d: Delivery, now: Date): Promise<AttemptOutcome> {
    const c = d.content;
    if (c.channel === 'email') {
      return this.mail.send({ messageId: `<${d.id}@latchkey.notifications>`, to: d.recipient, subject: c.subject, text: c.text, html: c.html });
    }
    const secret = d.endpointId ? await this.endpoints.secretOf(d.endpointId) : null;
    if (!secret) return { ok: false, detail: 'the webhook endpoint no longer exists' };
    // webhook-id stays the delivery's id on every attempt, so receivers can drop a repeat
    return this.webhooks.post({ url: c.url, headers: signatureHeaders(secret, d.id, now, c.body), body: c.body });
  }
}
