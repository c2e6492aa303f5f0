import { Module } from '@nestjs/common';
import { allowPrivateWebhookTargets, NOTIFICATION_SERVICE_CONFIG, NotificationServiceConfig } from '../config/notification-service.config';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { DeliveryDispatcher } from './delivery.dispatcher';
import { DeliveryRepository } from './delivery.repository';
import { DELIVERY_RANDOM, DeliveryService } from './delivery.service';
import { DeliveryWakeup } from './delivery-wakeup';
import { MAIL_SENDER } from './email/mail-sender.port';
import { SmtpMailSender } from './email/smtp-mail.sender';
import { HttpWebhookSender } from './webhook/http-webhook.sender';
import { WEBHOOK_SENDER } from './webhook/webhook-sender.port';

/** The queue of deliveries and the workers that send them (SMTP, signed webhooks), with retries and dead letters. */
@Module({
  imports: [WebhooksModule],
  providers: [
    DeliveryRepository,
    DeliveryService,
    DeliveryDispatcher,
    DeliveryWakeup,
    { provide: DELIVERY_RANDOM, useValue: Math.random },
    {
      provide: MAIL_SENDER,
      inject: [NOTIFICATION_SERVICE_CONFIG],
      useFactory: (c: NotificationServiceConfig) => new SmtpMailSender(c.LATCHKEY_SMTP_URL, c.LATCHKEY_MAIL_FROM, c.LATCHKEY_NOTIFY_HTTP_TIMEOUT_MS),
    },
    {
      provide: WEBHOOK_SENDER,
      inject: [NOTIFICATION_SERVICE_CONFIG],
      useFactory: (c: NotificationServiceConfig) => new HttpWebhookSender(c.LATCHKEY_NOTIFY_HTTP_TIMEOUT_MS, allowPrivateWebhookTargets(c)),
    },
  ],
  exports: [DeliveryRepository, DeliveryWakeup],
})
export class DeliveryModule {}
