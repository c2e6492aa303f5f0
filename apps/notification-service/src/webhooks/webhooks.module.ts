import { Module } from '@nestjs/common';
import { WebhookEndpointRepository } from './webhook-endpoint.repository';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

/** Webhook endpoints and their signing secrets. */
@Module({
  controllers: [WebhooksController],
  providers: [WebhookEndpointRepository, WebhooksService],
  exports: [WebhookEndpointRepository],
})
export class WebhooksModule {}
