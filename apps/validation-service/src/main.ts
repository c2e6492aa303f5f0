import 'reflect-metadata';
import { ReadinessRegistry, runService } from '@latchkey/service-kit';
import { createHotPath } from './adapters/hot-path';
import { ValidateJsonHandler } from './adapters/json/validate-json.handler';
import { createAppModule } from './app.module';
import { TOKEN_REVOKER, TokenRevoker } from './cache/token-read-model.port';
import { loadValidationServiceConfig } from './config/validation-service.config';
import { ValidationService } from './decision/validation.service';

async function main(): Promise<void> {
  const config = loadValidationServiceConfig();
  await runService({
    name: 'validation-service',
    title: 'Latchkey validation-service',
    port: config.PORT,
    module: () => createAppModule(config),
    dependencies: { redis: config.REDIS_URL, kafka: config.KAFKA_BROKERS },
    fastPath: (app) =>
      createHotPath({
        config,
        json: app.get(ValidateJsonHandler),
        validation: app.get(ValidationService),
        revoker: app.get<TokenRevoker>(TOKEN_REVOKER),
        readiness: app.get(ReadinessRegistry),
      }),
  });
}

main().catch((err: unknown) => {
  console.error(JSON.stringify({ level: 'fatal', service: 'validation-service', msg: err instanceof Error ? err.message : String(err) }));
  process.exit(1);
});
