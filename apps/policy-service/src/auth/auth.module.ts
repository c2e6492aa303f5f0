import { Global, Module } from '@nestjs/common';
import { POLICY_SERVICE_CONFIG, PolicyServiceConfig } from '../config/policy-service.config';
import { ADMIN_AUTHENTICATOR } from './admin-authenticator.port';
import { PolicyAdminGuard } from './policy-admin.guard';
import { SharedSecretAdminAuthenticator } from './shared-secret-admin.authenticator';

/** The management API's authentication; swap the ADMIN_AUTHENTICATOR driver (or the guard) for libs/auth. */
@Global()
@Module({
  providers: [
    {
      provide: ADMIN_AUTHENTICATOR,
      inject: [POLICY_SERVICE_CONFIG],
      useFactory: (config: PolicyServiceConfig) => new SharedSecretAdminAuthenticator(config.LATCHKEY_POLICY_ADMIN_SECRET),
    },
    PolicyAdminGuard,
  ],
  exports: [ADMIN_AUTHENTICATOR, PolicyAdminGuard],
})
export class AdminAuthModule {}
