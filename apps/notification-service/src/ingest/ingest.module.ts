import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module';
import { NoticesModule } from '../notices/notices.module';
import { ViewModule } from '../view/view.module';
import { EventIngestConsumer } from './event-ingest.consumer';
import { EventIngestService, INGEST_CLOCK } from './event-ingest.service';

/** Token, directory, decision and usage events -> the service's view and queued notices. */
@Module({
  imports: [ViewModule, NoticesModule, DeliveryModule],
  providers: [EventIngestService, EventIngestConsumer, { provide: INGEST_CLOCK, useValue: () => new Date() }],
})
export class IngestModule {}
