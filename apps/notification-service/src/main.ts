import 'reflect-metadata';
import { runService } from '@latchkey/service-kit';
import { loadNotificationServiceConfig } from './config/notification-service.config';
import { createAppModule } from './app.module';

async function main(): Promise<void> {
  const config = loadNotificationServiceConfig();
  await runService({
    name: 'notification-service',
    title: 'Latchkey notification-service',
    port: config.PORT,
    module: () => createAppModule(config),
    dependencies: { postgres: config.DATABASE_URL, kafka: config.KAFKA_BROKERS },
  });
}

main().catch((err: unknown) => {
  console.error(JSON.stringify({ level: 'fatal', service: 'notification-service', msg: err instanceof Error ? err.message : String(err) }));
  process.exit(1);
});
