import 'reflect-metadata';
import { runService } from '@latchkey/service-kit';
import { loadTokenServiceConfig } from './config/token-service.config';
import { createAppModule } from './app.module';
import { createInternalLookupRoute } from './internal/internal-lookup.route';
import { TokenRepository } from './tokens/token.repository';
import { TOKEN_ERROR_STATUS } from './tokens/domain/token.errors';

async function main(): Promise<void> {
  const config = loadTokenServiceConfig();
  await runService({
    name: 'token-service',
    title: 'Latchkey token-service',
    port: config.PORT,
    module: () => createAppModule(config),
    dependencies: { postgres: config.DATABASE_URL, kafka: config.KAFKA_BROKERS }, // Redis only serves revocation acks: degrade, not refuse
    statusByCode: TOKEN_ERROR_STATUS,
    // the validators' cache miss, on plain node:http (issue 4); everything else goes to Nest
    fastPath: (app) => createInternalLookupRoute({ tokens: app.get(TokenRepository), internalSecret: config.LATCHKEY_INTERNAL_SECRET }),
  });
}

main().catch((err: unknown) => {
  console.error(JSON.stringify({ level: 'fatal', service: 'token-service', msg: err instanceof Error ? err.message : String(err) }));
  process.exit(1);
});
