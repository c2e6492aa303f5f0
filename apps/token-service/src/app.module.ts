import { Global, Module, Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule, oidcOptionsFromEnv } from '@latchkey/auth';
import { dataSourceOptions, HealthModule, loggerModule, MetricsModule, openServiceDataSource, OutboxPublisherModule } from '@latchkey/service-kit';
import { Topics, topicName } from '@latchkey/contracts';
import { TOKEN_SCHEMA, TOKEN_SERVICE_CONFIG, TokenServiceConfig } from './config/token-service.config';
import { TokenSchema1764300000000 } from './database/migrations/1764300000000-token-schema';
import { TokenLifecycle1764500000000 } from './database/migrations/1764500000000-token-lifecycle';
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
      OutboxPublisherModule.forRoot({
        clientId: 'token-service',
        schema: TOKEN_SCHEMA,
        topics: [topicName(Topics.token, config.LATCHKEY_TOPIC_NAMESPACE)],
        brokers: config.KAFKA_BROKERS,
        databaseUrl: config.DATABASE_URL,
        pollIntervalMs: config.LATCHKEY_OUTBOX_POLL_MS,
      }),
      HeartbeatModule,
    ],
  })
  class TokenServiceModule {}
  return TokenServiceModule;
}
