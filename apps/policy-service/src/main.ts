import 'reflect-metadata';
import { runService } from '@latchkey/service-kit';
import { loadPolicyServiceConfig } from './config/policy-service.config';
import { createAppModule } from './app.module';

async function main(): Promise<void> {
  const config = loadPolicyServiceConfig();
  await runService({
    name: 'policy-service',
    title: 'Latchkey policy-service',
    port: config.PORT,
    module: () => createAppModule(config),
    // Kafka joins when policy changes are published (outbox relay) and directory events consumed
    dependencies: { postgres: config.DATABASE_URL },
  });
}

main().catch((err: unknown) => {
  console.error(JSON.stringify({ level: 'fatal', service: 'policy-service', msg: err instanceof Error ? err.message : String(err) }));
  process.exit(1);
});
