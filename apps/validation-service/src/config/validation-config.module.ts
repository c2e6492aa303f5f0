import { DynamicModule, Global, Module } from '@nestjs/common';
import { VALIDATION_CONFIG, ValidationServiceConfig } from './validation-service.config';

/** Makes the validated config injectable everywhere as VALIDATION_CONFIG. */
@Global()
@Module({})
export class ValidationConfigModule {
  static forRoot(config: ValidationServiceConfig): DynamicModule {
    return { module: ValidationConfigModule, providers: [{ provide: VALIDATION_CONFIG, useValue: config }], exports: [VALIDATION_CONFIG] };
  }
}
