import 'reflect-metadata';
import { runService } from '@latchkey/service-kit';
import { ValidateJsonHandler } from './adapters/json/validate-json.handler';
import { createValidateFastPath } from './adapters/json/validate.fast-path';
import { createAppModule } from './app.module';
import { loadValidationServiceConfig } from './config/validation-service.config';

async function main(): Promise<void> {
  const config = loadValidationServiceConfig();
  await runService({
    name: 'validation-service',
    title: 'Latchkey validation-service',
    port: config.PORT,
    module: () => createAppModule(config),
    dependencies: { redis: config.REDIS_URL, kafka: config.KAFKA_BROKERS },
    fastPath: (app) => createValidateFastPath(app.get(ValidateJsonHandler)),
  });
}

main().catch((err: unknown) => {
  console.error(JSON.stringify({ level: 'fatal', service: 'validation-service', msg: err instanceof Error ? err.message : String(err) }));
  process.exit(1);
});
