import { Module } from '@nestjs/common';
import { DirectoryModule } from '../directory/directory.module';
import { ScimAuthGuard } from './scim-auth.guard';
import { ScimDiscoveryController } from './scim-discovery.controller';
import { ScimGroupsController } from './scim-groups.controller';
import { ScimUsersController } from './scim-users.controller';

@Module({
  imports: [DirectoryModule],
  controllers: [ScimDiscoveryController, ScimUsersController, ScimGroupsController],
  providers: [ScimAuthGuard],
})
export class ScimModule {}
