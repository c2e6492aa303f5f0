import { DynamicModule } from '@nestjs/common';
import { AuthModule, httpLatchkeyTokens, LatchkeyTokenAuthenticatorProvider, oidcOptionsFromEnv } from '@latchkey/auth';
import { PolicyServiceConfig } from '../config/policy-service.config';

/**
 * The management API's authentication (libs/auth): OIDC access tokens from LATCHKEY_OIDC_ISSUER and Latchkey
 * tokens; controllers use ManagementAuthGuard + AdminGuard (OIDC users in LATCHKEY_ADMIN_GROUP, tokens with the
 * admin scope). SCIM has its own bearer (scim/scim-auth.guard.ts).
 */
export function managementAuthModule(config: PolicyServiceConfig, latchkeyTokens?: LatchkeyTokenAuthenticatorProvider): DynamicModule {
  return AuthModule.forRoot({ oidc: oidcOptionsFromEnv(config), latchkeyTokens: latchkeyTokens ?? httpLatchkeyTokens(config) });
}
