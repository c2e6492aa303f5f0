import 'reflect-metadata';
import { runService } from '@latchkey/service-kit';
import { loadPolicyServiceConfig } from './config/policy-service.config';
import { createAppModule } from './app.module';
import { DIRECTORY_ERROR_STATUS } from './directory/domain/directory.errors';
import { POLICY_ERROR_STATUS } from './policy/domain/policy.errors';

async function main(): Promise<void> {
  const config = loadPolicyServiceConfig();
  await runService({
    name: 'policy-service',
    title: 'Latchkey policy-service',
    port: config.PORT,
    module: () => createAppModule(config),
    dependencies: { postgres: config.DATABASE_URL, kafka: config.KAFKA_BROKERS },
    statusByCode: { ...DIRECTORY_ERROR_STATUS, ...POLICY_ERROR_STATUS },
    // a policy document (or a SCIM group with many members) may be up to 1 MiB; larger bodies get 413
    bodyLimit: '1mb',
  });
}

main().catch((err: unknown) => {
  console.error(JSON.stringify({ level: 'fatal', service: 'policy-service', msg: err instanceof Error ? err.message : String(err) }));
  process.exit(1);
});
