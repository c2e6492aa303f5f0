import { DynamicModule, InjectionToken, Module, ModuleMetadata, Provider, Type } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { AdminGuard, ManagementAuthGuard } from './auth.guards';
import { LATCHKEY_TOKEN_AUTHENTICATOR, LatchkeyTokenAuthenticator, NoLatchkeyTokenAuthenticator } from './latchkey-token/latchkey-token.authenticator';
import { LatchkeyTokenStrategy } from './latchkey-token/latchkey-token.strategy';
import { OidcAccessTokenVerifier, OidcVerifierOptions } from './oidc/oidc-access-token.verifier';
import { OIDC_VERIFIER, OidcStrategy } from './oidc/oidc.strategy';

/** How the 'latchkey-token' strategy finds tokens: a class, a factory or an instance of the port. */
export type LatchkeyTokenAuthenticatorProvider =
  | { useClass: Type<LatchkeyTokenAuthenticator> }
  | { useFactory: (...deps: never[]) => LatchkeyTokenAuthenticator | Promise<LatchkeyTokenAuthenticator>; inject?: InjectionToken[] }
  | { useValue: LatchkeyTokenAuthenticator };

export interface AuthModuleOptions {
  /** OIDC access tokens; absent = the 'oidc' strategy accepts nothing (see oidcOptionsFromEnv) */
  oidc?: OidcVerifierOptions;
  /** Latchkey tokens; absent = the 'latchkey-token' strategy accepts nothing */
  latchkeyTokens?: LatchkeyTokenAuthenticatorProvider;
  /** modules the authenticator's dependencies come from (e.g. the one providing a token repository) */
  imports?: ModuleMetadata['imports'];
}

/**
 * Registers the 'oidc' and 'latchkey-token' passport strategies; exports ManagementAuthGuard, AdminGuard,
 * the OIDC verifier (OIDC_VERIFIER) and the authenticator (LATCHKEY_TOKEN_AUTHENTICATOR). Global.
 */
@Module({})
export class AuthModule {
  static forRoot(options: AuthModuleOptions): DynamicModule {
    const authenticator: Provider = options.latchkeyTokens
      ? ({ provide: LATCHKEY_TOKEN_AUTHENTICATOR, ...options.latchkeyTokens } as Provider)
      : { provide: LATCHKEY_TOKEN_AUTHENTICATOR, useClass: NoLatchkeyTokenAuthenticator };
    const oidc = options.oidc;
    return {
      module: AuthModule,
      global: true,
      imports: [PassportModule, ...(options.imports ?? [])],
      providers: [
        { provide: OIDC_VERIFIER, useValue: oidc ? new OidcAccessTokenVerifier(oidc) : null },
        authenticator,
        OidcStrategy,
        LatchkeyTokenStrategy,
        ManagementAuthGuard,
        AdminGuard,
      ],
      exports: [OIDC_VERIFIER, LATCHKEY_TOKEN_AUTHENTICATOR, ManagementAuthGuard, AdminGuard, PassportModule],
    };
  }
}
