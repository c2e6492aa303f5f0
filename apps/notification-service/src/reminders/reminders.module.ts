import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module';
import { NoticesModule } from '../notices/notices.module';
import { ReminderRepository } from './reminder.repository';
import { ReminderScheduler } from './reminder.scheduler';
import { RemindersService } from './reminders.service';

/** Expiry reminders, some days before (LATCHKEY_NOTIFY_REMINDER_DAYS), once each. */
@Module({
  imports: [NoticesModule, DeliveryModule],
  providers: [ReminderRepository, RemindersService, ReminderScheduler],
  exports: [RemindersService],
})
export class RemindersModule {}
