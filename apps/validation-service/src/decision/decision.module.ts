import { Module } from '@nestjs/common';
import { TokenLookupService } from '../cache/token-lookup.service';
import { VALIDATION_CONFIG, ValidationServiceConfig } from '../config/validation-service.config';
import { ValidationMetrics } from '../metrics/validation.metrics';
import { StalenessService } from '../staleness/staleness.service';
import { TelemetryService } from '../telemetry/telemetry.service';
import { AccessView, ALLOW_ALL } from './domain';
import { ACCESS_VIEW, Clock, CLOCK, ValidationService } from './validation.service';

@Module({
  providers: [
    { provide: CLOCK, useValue: () => Date.now() },
    // issue 5 (policy and directory) replaces this with a view fed by the directory and policy topics
    { provide: ACCESS_VIEW, useValue: ALLOW_ALL },
    {
      provide: ValidationService,
      inject: [VALIDATION_CONFIG, TokenLookupService, ValidationMetrics, CLOCK, StalenessService, TelemetryService, ACCESS_VIEW],
      useFactory: (
        config: ValidationServiceConfig,
        lookups: TokenLookupService,
        metrics: ValidationMetrics,
        clock: Clock,
        staleness: StalenessService,
        telemetry: TelemetryService,
        view: AccessView,
      ) => new ValidationService(config, lookups, metrics, clock, staleness, telemetry, view),
    },
  ],
  exports: [ValidationService],
})
export class DecisionModule {}
