import { Logger, Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { TokenLookupService } from '../cache/token-lookup.service';
import { REUSE_REPORT_SINK, ReuseReportSink } from '../cache/token-read-model.port';
import { VALIDATION_CONFIG, ValidationServiceConfig } from '../config/validation-service.config';
import { ValidationMetrics } from '../metrics/validation.metrics';
import { StalenessService } from '../staleness/staleness.service';
import { TelemetryService } from '../telemetry/telemetry.service';
import type { AccessView } from './domain';
import { ReuseReporter } from './reuse.reporter';
import { ACCESS_VIEW, Clock, CLOCK, ValidationService } from './validation.service';

/** one reuse report per secret hash per window: enough for token-service to revoke, never a flood */
const REUSE_REPORT_WINDOW_MS = 10_000;
const REUSE_REPORT_MAX_HASHES = 10_000;

@Module({
  // ACCESS_VIEW: this replica's directory and policy copy, fed by the directory and policy topics
  imports: [AccessModule],
  providers: [
    { provide: CLOCK, useValue: () => Date.now() },
    {
      provide: ReuseReporter,
      inject: [REUSE_REPORT_SINK, ValidationMetrics, CLOCK],
      useFactory: (sink: ReuseReportSink, metrics: ValidationMetrics, clock: Clock) => {
        const logger = new Logger('ReuseReporter');
        return new ReuseReporter(sink, {
          windowMs: REUSE_REPORT_WINDOW_MS,
          maxEntries: REUSE_REPORT_MAX_HASHES,
          now: clock,
          onOutcome: (outcome, err) => {
            metrics.reuseReports.inc({ outcome });
            if (outcome === 'revoked') logger.warn('a rotated-away secret was presented after its grace: token-service revoked the token');
            if (outcome === 'failed') logger.warn(`reuse report not delivered: ${err instanceof Error ? err.message : String(err)}`);
          },
        });
      },
    },
    {
      provide: ValidationService,
      inject: [VALIDATION_CONFIG, TokenLookupService, ValidationMetrics, CLOCK, StalenessService, TelemetryService, ACCESS_VIEW, ReuseReporter],
      useFactory: (
        config: ValidationServiceConfig,
        lookups: TokenLookupService,
        metrics: ValidationMetrics,
        clock: Clock,
        staleness: StalenessService,
        telemetry: TelemetryService,
        view: AccessView,
        reuse: ReuseReporter,
      ) => new ValidationService(config, lookups, metrics, clock, staleness, telemetry, view, reuse),
    },
  ],
  exports: [ValidationService],
})
export class DecisionModule {}
