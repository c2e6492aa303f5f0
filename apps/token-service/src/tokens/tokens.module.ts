import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { PgEventStore } from '@latchkey/event-store';
import { Topics, topicName } from '@latchkey/contracts';
import { ReadinessRegistry } from '@latchkey/service-kit';
import { TOKEN_SCHEMA, TOKEN_SERVICE_CONFIG, TokenServiceConfig } from '../config/token-service.config';
import { InternalLookupController } from '../internal/internal-lookup.controller';
import { BootstrapAdminService } from '../bootstrap/bootstrap-admin.service';
import { CLOCK, systemClock } from './clock';
import { TOKEN_EVENT_STORE, TokenRepository } from './token.repository';
import { TokensController } from './tokens.controller';
import { TokensService } from './tokens.service';
import { AdminTokensController } from './admin/admin-tokens.controller';
import { LeakedTokensController } from './leaked/leaked-tokens.controller';
import { REVOCATION_ACKNOWLEDGEMENTS } from '../revocation/revocation-acknowledgements.port';
import { RedisRevocationAcknowledgements } from '../revocation/redis-revocation-acknowledgements';
import { ExpiryScheduler } from '../expiry/expiry.scheduler';
import { UsageConsumer } from '../usage/usage.consumer';
import { PolicySyncConsumer } from '../policy/policy-sync.consumer';

@Module({
  // LeakedTokensController first: its public POST /v1/tokens/leaked must not fall under the authenticated routes
  controllers: [LeakedTokensController, TokensController, AdminTokensController, InternalLookupController],
  providers: [
    { provide: CLOCK, useValue: systemClock },
    {
      provide: TOKEN_EVENT_STORE,
      inject: [getDataSourceToken(), TOKEN_SERVICE_CONFIG],
      useFactory: (db: DataSource, config: TokenServiceConfig) =>
        new PgEventStore(db, { schema: TOKEN_SCHEMA, topicFor: () => topicName(Topics.token, config.LATCHKEY_TOPIC_NAMESPACE) }),
    },
    TokenRepository,
    TokensService,
    { provide: REVOCATION_ACKNOWLEDGEMENTS, useClass: RedisRevocationAcknowledgements },
    ExpiryScheduler,
    UsageConsumer,
    PolicySyncConsumer,
    BootstrapAdminService,
    {
      provide: 'TOKEN_DB_READINESS',
      inject: [ReadinessRegistry, TokenRepository],
      useFactory: (readiness: ReadinessRegistry, repo: TokenRepository) => {
        readiness.register({ name: 'postgres', check: async () => (await repo.ping(), { ok: true }) });
        return true;
      },
    },
  ],
  exports: [TokenRepository, TokensService, CLOCK],
})
export class TokensModule {}
