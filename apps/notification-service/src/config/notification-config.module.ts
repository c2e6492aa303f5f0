import { DynamicModule, Global, Module } from '@nestjs/common';
import { NOTIFICATION_SERVICE_CONFIG, NotificationServiceConfig } from './notification-service.config';

/** Makes the validated configuration injectable everywhere (NOTIFICATION_SERVICE_CONFIG). */
@Global()
@Module({})
export class NotificationConfigModule {
  static forRoot(config: NotificationServiceConfig): DynamicModule {
    return {
      module: NotificationConfigModule,
      providers: [{ provide: NOTIFICATION_SERVICE_CONFIG, useValue: config }],
      exports: [NOTIFICATION_SERVICE_CONFIG],
    };
  }
}
