import 'reflect-metadata';
import { runService } from '@latchkey/service-kit';
import { loadAuditServiceConfig } from './config/audit-service.config';
import { createAppModule } from './app.module';

async function main(): Promise<void> {
  const config = loadAuditServiceConfig();
  await runService({
    name: 'audit-service',
    title: 'Latchkey audit-service',
    port: config.PORT,
    module: () => createAppModule(config),
    dependencies: { postgres: config.DATABASE_URL, kafka: config.KAFKA_BROKERS },
  });
}

main().catch((err: unknown) => {
  console.error(JSON.stringify({ level: 'fatal', service: 'audit-service', msg: err instanceof Error ? err.message : String(err) }));
  process.exit(1);
});
