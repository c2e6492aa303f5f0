import { Module, Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions, HealthModule, loggerModule, MetricsModule, openServiceDataSource } from '@latchkey/service-kit';
import { AuditConfigModule } from './config/audit-config.module';
import { AuditServiceConfig } from './config/audit-service.config';
import { AUDIT_MIGRATIONS } from './database/migrations';
import { DatabaseReadiness } from './database/database-readiness';
import { AuditEntriesModule } from './entries/audit-entries.module';
import { IngestModule } from './ingest/ingest.module';
import { QueryModule } from './query/query.module';

/** The audit-service root module, built from validated configuration. */
export function createAppModule(config: AuditServiceConfig): Type<unknown> {
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
      AuditEntriesModule,
      IngestModule,
      QueryModule,
    ],
    providers: [DatabaseReadiness],
  })
  class AuditServiceModule {}
  return AuditServiceModule;
}
