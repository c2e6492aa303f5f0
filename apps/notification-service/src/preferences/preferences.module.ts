import { Module } from '@nestjs/common';
import { NotificationPolicyController, PreferencesController } from './preferences.controller';
import { PreferencesRepository } from './preferences.repository';
import { PreferencesService } from './preferences.service';

/** Per-user preferences (kind x channel) and the admins' mandatory notices. */
@Module({
  controllers: [PreferencesController, NotificationPolicyController],
  providers: [PreferencesRepository, PreferencesService],
  exports: [PreferencesRepository],
})
export class PreferencesModule {}
