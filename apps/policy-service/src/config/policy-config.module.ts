import { DynamicModule, Global, Module } from '@nestjs/common';
import { POLICY_SERVICE_CONFIG, PolicyServiceConfig } from './policy-service.config';

/** Makes the validated configuration injectable everywhere (POLICY_SERVICE_CONFIG). */
@Global()
@Module({})
export class PolicyConfigModule {
  static forRoot(config: PolicyServiceConfig): DynamicModule {
    return {
      module: PolicyConfigModule,
      providers: [{ provide: POLICY_SERVICE_CONFIG, useValue: config }],
      exports: [POLICY_SERVICE_CONFIG],
    };
  }
}
