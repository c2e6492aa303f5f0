import { Global, Module } from '@nestjs/common';
import { AUDIT_SERVICE_CONFIG, AuditServiceConfig } from '../config/audit-service.config';
import { ADMIN_AUTHENTICATOR } from './admin-authenticator.port';
import { AdminAuthGuard } from './admin-auth.guard';
import { SharedSecretAdminAuthenticator } from './shared-secret.authenticator';

/** Admin authentication of the query, export and verify endpoints (swap the provider for libs/auth). */
@Global()
@Module({
  providers: [
    {
      provide: ADMIN_AUTHENTICATOR,
      inject: [AUDIT_SERVICE_CONFIG],
      useFactory: (config: AuditServiceConfig) => new SharedSecretAdminAuthenticator(config.LATCHKEY_AUDIT_ADMIN_SECRET),
    },
    AdminAuthGuard,
  ],
  exports: [ADMIN_AUTHENTICATOR, AdminAuthGuard],
})
export class AdminAuthModule {}
