import { DynamicModule, Global, Module } from '@nestjs/common';
import { AUDIT_SERVICE_CONFIG, AuditServiceConfig } from './audit-service.config';

/** Makes the validated configuration injectable everywhere (AUDIT_SERVICE_CONFIG). */
@Global()
@Module({})
export class AuditConfigModule {
  static forRoot(config: AuditServiceConfig): DynamicModule {
    return {
      module: AuditConfigModule,
      providers: [{ provide: AUDIT_SERVICE_CONFIG, useValue: config }],
      exports: [AUDIT_SERVICE_CONFIG],
    };
  }
}
