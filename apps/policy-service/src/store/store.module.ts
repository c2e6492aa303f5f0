import { Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { POLICY_AGGREGATE, Topics, topicName } from '@latchkey/contracts';
import { PgEventStore } from '@latchkey/event-store';
import { POLICY_SERVICE_CONFIG, PolicyServiceConfig } from '../config/policy-service.config';
import { DirectoryRepository } from '../directory/directory.repository';
import { POLICY_EVENT_STORE, PolicyRepository } from '../policy/policy.repository';

/** The event store of the policy schema and the repositories over it (policy stream, directory streams + projection). */
@Module({
  providers: [
    PolicyRepository,
    DirectoryRepository,
    {
      provide: POLICY_EVENT_STORE,
      inject: [getDataSourceToken(), POLICY_SERVICE_CONFIG],
      useFactory: (db: DataSource, config: PolicyServiceConfig) =>
        new PgEventStore(db, {
          schema: config.LATCHKEY_POLICY_SCHEMA,
          // the policy stream feeds the policy topic; the directory's users and groups feed the directory topic
          topicFor: (aggregateType) =>
            topicName(aggregateType === POLICY_AGGREGATE ? Topics.policy : Topics.directory, config.LATCHKEY_TOPIC_NAMESPACE),
        }),
    },
  ],
  exports: [PolicyRepository, DirectoryRepository],
})
export class StoreModule {}
