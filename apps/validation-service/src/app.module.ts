import { Module, Type } from '@nestjs/common';
import { HealthModule, loggerModule, MetricsModule } from '@latchkey/service-kit';
import { AdaptersModule } from './adapters/adapters.module';
import { CacheModule } from './cache/cache.module';
import { ValidationConfigModule } from './config/validation-config.module';
import { ValidationServiceConfig } from './config/validation-service.config';
import { DecisionModule } from './decision/decision.module';
import { ValidationMetricsModule } from './metrics/metrics.module';
import { StalenessModule } from './staleness/staleness.module';
import { SyncModule } from './sync/sync.module';
import { TelemetryModule } from './telemetry/telemetry.module';

export function createAppModule(config: ValidationServiceConfig): Type<unknown> {
  @Module({
    imports: [
      ValidationConfigModule.forRoot(config),
      loggerModule('validation-service', config.LOG_LEVEL),
      MetricsModule,
      HealthModule,
      ValidationMetricsModule,
      CacheModule,
      StalenessModule,
      SyncModule,
      TelemetryModule,
      DecisionModule,
      AdaptersModule,
    ],
  })
  class AppModule {}
  return AppModule;
}
