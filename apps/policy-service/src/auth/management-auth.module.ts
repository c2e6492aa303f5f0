import { DynamicModule } from '@nestjs/common';
import { AuthModule, HttpLatchkeyTokenAuthenticator, LatchkeyTokenAuthenticatorProvider, oidcOptionsFromEnv } from '@latchkey/auth';
import { PolicyServiceConfig } from '../config/policy-service.config';

/** Latchkey tokens presented to the management API are looked up (by HMAC) on token-service. */
export function httpLatchkeyTokens(config: PolicyServiceConfig): LatchkeyTokenAuthenticatorProvider {
  return {
    useFactory: () =>
      new HttpLatchkeyTokenAuthenticator({
        baseUrl: config.TOKEN_SERVICE_URL,
        internalSecret: config.LATCHKEY_INTERNAL_SECRET,
        pepper: config.LATCHKEY_PEPPER,
        tokenPrefix: config.LATCHKEY_TOKEN_PREFIX,
      }),
  };
}

/**
 * The management API's authentication (libs/auth): OIDC access tokens from LATCHKEY_OIDC_ISSUER and Latchkey
 * tokens; controllers use ManagementAuthGuard + AdminGuard (OIDC users in LATCHKEY_ADMIN_GROUP, tokens with the
 * admin scope). SCIM has its own bearer (scim/scim-auth.guard.ts).
 */
export function managementAuthModule(config: PolicyServiceConfig, latchkeyTokens?: LatchkeyTokenAuthenticatorProvider): DynamicModule {
  return AuthModule.forRoot({ oidc: oidcOptionsFromEnv(config), latchkeyTokens: latchkeyTokens ?? httpLatchkeyTokens(config) });
}
