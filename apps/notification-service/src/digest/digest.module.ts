import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module';
import { NoticesModule } from '../notices/notices.module';
import { DigestRepository } from './digest.repository';
import { DigestScheduler } from './digest.scheduler';
import { DigestService } from './digest.service';

/** The administrators' daily digest. */
@Module({
  imports: [NoticesModule, DeliveryModule],
  providers: [DigestRepository, DigestService, DigestScheduler],
  exports: [DigestService],
})
export class DigestModule {}
