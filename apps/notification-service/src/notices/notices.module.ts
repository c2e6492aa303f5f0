import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module';
import { PreferencesModule } from '../preferences/preferences.module';
import { ViewModule } from '../view/view.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { NoticeFanoutService } from './notice-fanout.service';

/** Notices -> deliveries: who is told, through which channels, with what content. */
@Module({
  imports: [ViewModule, PreferencesModule, WebhooksModule, DeliveryModule],
  providers: [NoticeFanoutService],
  exports: [NoticeFanoutService],
})
export class NoticesModule {}
