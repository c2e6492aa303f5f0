import { Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Topics, topicName } from '@latchkey/contracts';
import { PgEventStore } from '@latchkey/event-store';
import { POLICY_SERVICE_CONFIG, PolicyServiceConfig } from '../config/policy-service.config';
import { POLICY_AGGREGATE } from './domain/policy.state';
import { PolicyController } from './policy.controller';
import { POLICY_EVENT_STORE, PolicyRepository } from './policy.repository';
import { PolicyService } from './policy.service';

@Module({
  controllers: [PolicyController],
  providers: [
    PolicyService,
    PolicyRepository,
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
  exports: [PolicyRepository],
})
export class PolicyModule {}
