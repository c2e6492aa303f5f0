import { Module, OnApplicationBootstrap, Inject } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { ensureTopics } from '@latchkey/messaging';
import { AuditEntriesModule } from '../entries/audit-entries.module';
import { AUDIT_KAFKA } from '../kafka/audit-kafka.module';
import { SiemFeedRepository } from './siem-feed.repository';
import { SiemFeedService } from './siem-feed.service';

/** The SIEM feed: audit entries -> ECS JSON on latchkey.audit.v1. */
@Module({
  imports: [AuditEntriesModule],
  providers: [SiemFeedRepository, SiemFeedService],
  exports: [SiemFeedService],
})
export class SiemModule implements OnApplicationBootstrap {
  constructor(
    @Inject(AUDIT_KAFKA) private readonly kafka: Kafka,
    private readonly feed: SiemFeedService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await ensureTopics(this.kafka, [this.feed.topic]);
  }
}
