import { Global, Module } from '@nestjs/common';
import { DecisionCodes } from '@latchkey/contracts';
import { ValidationMetrics } from './validation.metrics';

/** Registers the validation metrics on the shared registry (service-kit's MetricsModule). */
@Global()
@Module({ providers: [ValidationMetrics], exports: [ValidationMetrics] })
export class ValidationMetricsModule {
  constructor(metrics: ValidationMetrics) {
    metrics.initDecisionCodes(DecisionCodes);
  }
}
