import { Module, Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule, httpLatchkeyTokens, LatchkeyTokenAuthenticatorProvider, oidcOptionsFromEnv } from '@latchkey/auth';
import { dataSourceOptions, HealthModule, loggerModule, MetricsModule, openServiceDataSource } from '@latchkey/service-kit';
import { AuditConfigModule } from './config/audit-config.module';
import { AuditServiceConfig } from './config/audit-service.config';
import { AUDIT_MIGRATIONS } from './database/migrations';
import { DatabaseReadiness } from './database/database-readiness';
import { AuditEntriesModule } from './entries/audit-entries.module';
import { IngestModule } from './ingest/ingest.module';
import { QueryModule } from './query/query.module';
import { ChainModule } from './chain/chain.module';
import { AuditKafkaModule } from './kafka/audit-kafka.module';
import { RetentionModule } from './retention/retention.module';
import { SiemModule } from './siem/siem.module';

export interface AuditAppOptions {
  /** how Latchkey tokens are authenticated; default: token-service's internal lookup (tests pass an in-process one) */
  latchkeyTokens?: LatchkeyTokenAuthenticatorProvider;
}

/** The audit-service root module, built from validated configuration. */
export function createAppModule(config: AuditServiceConfig, options: AuditAppOptions = {}): Type<unknown> {
  @Module({
    imports: [
      AuditConfigModule.forRoot(config),
      loggerModule('audit-service', config.LOG_LEVEL),
      MetricsModule,
      HealthModule,
      TypeOrmModule.forRootAsync({
        useFactory: () =>
          dataSourceOptions({ url: config.DATABASE_URL, schema: config.LATCHKEY_AUDIT_SCHEMA, migrations: AUDIT_MIGRATIONS }),
        // Nest always passes the options the factory above returned
        dataSourceFactory: (options) => openServiceDataSource(options!),
      }),
      AuditKafkaModule,
      // admins only: OIDC users in LATCHKEY_ADMIN_GROUP, or Latchkey tokens with the admin scope
      AuthModule.forRoot({ oidc: oidcOptionsFromEnv(config), latchkeyTokens: options.latchkeyTokens ?? httpLatchkeyTokens(config) }),
      AuditEntriesModule,
      IngestModule,
      QueryModule,
      ChainModule,
      SiemModule,
      RetentionModule,
    ],
    providers: [DatabaseReadiness],
  })
  class AuditServiceModule {}
  return AuditServiceModule;
}
