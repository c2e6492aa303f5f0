import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module';
import { DigestModule } from '../digest/digest.module';
import { RemindersModule } from '../reminders/reminders.module';
import { DeliveriesController } from './deliveries.controller';
import { DeliveriesService } from './deliveries.service';

/** The administrators' API over deliveries. */
@Module({
  imports: [DeliveryModule, RemindersModule, DigestModule],
  controllers: [DeliveriesController],
  providers: [DeliveriesService],
})
export class DeliveriesModule {}
