import { Global, Inject, Module, OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import { ReadinessRegistry } from '@latchkey/service-kit';
import { VALIDATION_CONFIG, ValidationServiceConfig } from '../config/validation-service.config';
import { ValidationMetrics } from '../metrics/validation.metrics';
import { MemoryTokenCache } from './memory-token.cache';
import { createRedisClient, REDIS_CLIENT, RedisShutdown, whenRedisReady } from './redis/redis.provider';
import { RedisTokenReadModel } from './redis/redis-token-read-model';
import { HttpTokenSource } from './source/http-token-source';
import { TokenLookupService } from './token-lookup.service';
import { REUSE_REPORT_SINK, TOKEN_READ_MODEL, TOKEN_REVOKER, TOKEN_SOURCE, TokenReadModel, TokenSource } from './token-read-model.port';

/** The lookup chain: in-process LRU -> Redis read model -> token-service. */
@Global()
@Module({
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [VALIDATION_CONFIG],
      useFactory: async (config: ValidationServiceConfig) => {
        const client = createRedisClient(config.REDIS_URL);
        await whenRedisReady(client, 3_000);
        return client;
      },
    },
    RedisShutdown,
    {
      provide: TOKEN_READ_MODEL,
      inject: [REDIS_CLIENT, VALIDATION_CONFIG],
      useFactory: (redis: Redis, config: ValidationServiceConfig) => new RedisTokenReadModel(redis, config.LATCHKEY_TOPIC_NAMESPACE),
    },
    {
      provide: TOKEN_SOURCE,
      inject: [VALIDATION_CONFIG],
      useFactory: (config: ValidationServiceConfig) =>
        new HttpTokenSource({
          baseUrl: config.TOKEN_SERVICE_URL,
          internalSecret: config.LATCHKEY_INTERNAL_SECRET,
          timeoutMs: config.LATCHKEY_SOURCE_TIMEOUT_MS,
        }),
    },
    { provide: TOKEN_REVOKER, useExisting: TOKEN_SOURCE },
    { provide: REUSE_REPORT_SINK, useExisting: TOKEN_SOURCE },
    {
      provide: MemoryTokenCache,
      inject: [VALIDATION_CONFIG, ValidationMetrics],
      useFactory: (config: ValidationServiceConfig, metrics: ValidationMetrics) => {
        const memory = new MemoryTokenCache({
          maxEntries: config.LATCHKEY_CACHE_MAX_ENTRIES,
          maxBytes: config.LATCHKEY_CACHE_MAX_MB * 1024 * 1024,
          ttlMs: config.LATCHKEY_CACHE_TTL_MS,
          negativeTtlMs: config.LATCHKEY_NEGATIVE_CACHE_MS,
        });
        metrics.observeCache(() => memory.size);
        return memory;
      },
    },
    {
      provide: TokenLookupService,
      inject: [MemoryTokenCache, TOKEN_READ_MODEL, TOKEN_SOURCE, ValidationMetrics],
      useFactory: (memory: MemoryTokenCache, readModel: TokenReadModel, source: TokenSource, metrics: ValidationMetrics) =>
        new TokenLookupService(memory, readModel, source, metrics),
    },
  ],
  exports: [MemoryTokenCache, TOKEN_READ_MODEL, TokenLookupService, REDIS_CLIENT, TOKEN_REVOKER, REUSE_REPORT_SINK],
})
export class CacheModule implements OnModuleInit {
  constructor(
    private readonly readiness: ReadinessRegistry,
    @Inject(TOKEN_READ_MODEL) private readonly readModel: TokenReadModel,
  ) {}

  onModuleInit(): void {
    this.readiness.register({
      name: 'redis',
      check: async () => {
        await this.readModel.ping();
        return { ok: true };
      },
    });
  }
}
