import { Module, Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions, HealthModule, loggerModule, MetricsModule, openServiceDataSource, OutboxPublisherModule } from '@latchkey/service-kit';
import { Topics, topicName } from '@latchkey/contracts';
import { LatchkeyTokenAuthenticatorProvider } from '@latchkey/auth';
import { managementAuthModule } from './auth/management-auth.module';
import { PolicyConfigModule } from './config/policy-config.module';
import { PolicyServiceConfig } from './config/policy-service.config';
import { POLICY_MIGRATIONS } from './database/migrations';
import { DatabaseReadiness } from './database/database-readiness';
import { DirectoryModule } from './directory/directory.module';
import { PolicyModule } from './policy/policy.module';
import { ScimModule } from './scim/scim.module';
import { StoreModule } from './store/store.module';

export interface PolicyAppOptions {
  /** how Latchkey tokens are authenticated; default: token-service's internal lookup */
  latchkeyTokens?: LatchkeyTokenAuthenticatorProvider;
}

/** The policy-service root module, built from validated configuration. */
export function createAppModule(config: PolicyServiceConfig, options: PolicyAppOptions = {}): Type<unknown> {
  @Module({
    imports: [
      PolicyConfigModule.forRoot(config),
      loggerModule('policy-service', config.LOG_LEVEL),
      MetricsModule,
      HealthModule,
      TypeOrmModule.forRootAsync({
        useFactory: () =>
          dataSourceOptions({ url: config.DATABASE_URL, schema: config.LATCHKEY_POLICY_SCHEMA, migrations: POLICY_MIGRATIONS }),
        // Nest always passes the options the factory above returned
        dataSourceFactory: (options) => openServiceDataSource(options!),
      }),
      managementAuthModule(config, options.latchkeyTokens),
      StoreModule,
      PolicyModule,
      DirectoryModule,
      ScimModule,
      OutboxPublisherModule.forRoot({
        clientId: 'policy-service',
        schema: config.LATCHKEY_POLICY_SCHEMA,
        topics: [topicName(Topics.directory, config.LATCHKEY_TOPIC_NAMESPACE), topicName(Topics.policy, config.LATCHKEY_TOPIC_NAMESPACE)],
        brokers: config.KAFKA_BROKERS,
        databaseUrl: config.DATABASE_URL,
        pollIntervalMs: config.LATCHKEY_OUTBOX_POLL_MS,
      }),
    ],
    providers: [DatabaseReadiness],
  })
  class PolicyServiceModule {}
  return PolicyServiceModule;
}
