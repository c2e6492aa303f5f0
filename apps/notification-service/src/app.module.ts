import { Module, Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Topics, topicName } from '@latchkey/contracts';
import { AuthModule, httpLatchkeyTokens, oidcOptionsFromEnv } from '@latchkey/auth';
import { dataSourceOptions, HealthModule, loggerModule, MetricsModule, openServiceDataSource, OutboxPublisherModule } from '@latchkey/service-kit';
import { NotificationConfigModule } from './config/notification-config.module';
import { NOTIFICATION_SCHEMA, NotificationServiceConfig } from './config/notification-service.config';
import { DatabaseReadiness } from './database/database-readiness';
import { NOTIFICATION_MIGRATIONS } from './database/migrations';
import { DeliveriesModule } from './deliveries/deliveries.module';
import { DeliveryModule } from './delivery/delivery.module';
import { DigestModule } from './digest/digest.module';
import { IngestModule } from './ingest/ingest.module';
import { PreferencesModule } from './preferences/preferences.module';
import { RemindersModule } from './reminders/reminders.module';
import { WebhooksModule } from './webhooks/webhooks.module';

/** The notification-service root module, built from validated configuration. */
export function createAppModule(config: NotificationServiceConfig): Type<unknown> {
  @Module({
    imports: [
      NotificationConfigModule.forRoot(config),
      loggerModule('notification-service', config.LOG_LEVEL),
      MetricsModule,
      HealthModule,
      TypeOrmModule.forRootAsync({
        useFactory: () => dataSourceOptions({ url: config.DATABASE_URL, schema: NOTIFICATION_SCHEMA, migrations: NOTIFICATION_MIGRATIONS }),
        // Nest always passes the options the factory above returned
        dataSourceFactory: (options) => openServiceDataSource(options!),
      }),
      // OIDC users, or Latchkey tokens (checked by token-service); admin routes need the admin group / scope
      AuthModule.forRoot({ oidc: oidcOptionsFromEnv(config), latchkeyTokens: httpLatchkeyTokens(config) }),
      OutboxPublisherModule.forRoot({
        clientId: 'notification-service',
        schema: NOTIFICATION_SCHEMA,
        topics: [topicName(Topics.notification, config.LATCHKEY_TOPIC_NAMESPACE)],
        brokers: config.KAFKA_BROKERS,
        databaseUrl: config.DATABASE_URL,
        pollIntervalMs: config.LATCHKEY_OUTBOX_POLL_MS,
      }),
      IngestModule,
      DeliveryModule,
      RemindersModule,
      DigestModule,
      PreferencesModule,
      WebhooksModule,
      DeliveriesModule,
    ],
    providers: [DatabaseReadiness],
  })
  class NotificationServiceModule {}
  return NotificationServiceModule;
}
