import { Global, Module, Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule, oidcOptionsFromEnv } from '@latchkey/auth';
import { dataSourceOptions, HealthModule, loggerModule, MetricsModule, openServiceDataSource } from '@latchkey/service-kit';
import { TOKEN_SCHEMA, TOKEN_SERVICE_CONFIG, TokenServiceConfig } from './config/token-service.config';
import { TokenSchema1764300000000 } from './database/migrations/1764300000000-token-schema';
import { TokenLifecycle1764500000000 } from './database/migrations/1764500000000-token-lifecycle';
import { OutboxModule } from './outbox/outbox.module';
import { HeartbeatModule } from './heartbeat/heartbeat.module';
import { TokensModule } from './tokens/tokens.module';
import { PolicyViewModule } from './policy/policy.module';
import { DbLatchkeyTokenAuthenticator } from './auth/db-latchkey-token.authenticator';

export function createAppModule(config: TokenServiceConfig): Type<unknown> {
  @Global()
  @Module({ providers: [{ provide: TOKEN_SERVICE_CONFIG, useValue: config }], exports: [TOKEN_SERVICE_CONFIG] })
  class ConfigModule {}

  @Module({
    imports: [
      ConfigModule,
      loggerModule('token-service', config.LOG_LEVEL),
      TypeOrmModule.forRootAsync({
        useFactory: () => dataSourceOptions({ url: config.DATABASE_URL, schema: TOKEN_SCHEMA, migrations: [TokenSchema1764300000000, TokenLifecycle1764500000000] }),
        dataSourceFactory: async (options) => openServiceDataSource(options!),
      }),
      AuthModule.forRoot({ oidc: oidcOptionsFromEnv(config), latchkeyTokens: { useClass: DbLatchkeyTokenAuthenticator }, imports: [TokensModule] }),
      HealthModule,
      PolicyViewModule,
      MetricsModule,
      TokensModule,
      OutboxModule,
      HeartbeatModule,
    ],
  })
  class TokenServiceModule {}
  return TokenServiceModule;
}
