import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DirectoryGroupState, DirectoryUserState } from '@latchkey/contracts';
import { actorOf, AdminGuard, CurrentPrincipal, ManagementAuthGuard, Principal } from '@latchkey/auth';
import { DirectoryService } from './directory.service';
import { CreateServiceAccountRequest, DirectoryListQuery } from './dto/service-account.dto';

type UserWithGroups = DirectoryUserState & { groups: Array<{ id: string; displayName: string }> };

@ApiTags('directory')
@ApiBearerAuth()
@Controller('v1/directory')
@UseGuards(ManagementAuthGuard, AdminGuard)
export class DirectoryController {
  constructor(private readonly directory: DirectoryService) {}

  @Get('users')
  @ApiOperation({ summary: 'Live users (persons and service accounts) with their groups' })
  async users(@Query() query: DirectoryListQuery): Promise<{ items: UserWithGroups[] }> {
    const groups = await this.directory.groups();
    const users = await this.directory.users(query.kind);
    return {
      items: users.map((u) => ({
        ...u,
        groups: groups.filter((g) => g.members.some((m) => m.value === u.id)).map((g) => ({ id: g.id, displayName: g.displayName })),
      })),
    };
  }

  @Get('groups')
  @ApiOperation({ summary: 'Groups with their members' })
  async groups(): Promise<{ items: DirectoryGroupState[] }> {
    return { items: await this.directory.groups() };
  }

  @Post('service-accounts')
  @ApiOperation({ summary: 'Create a service account: a user without SSO login whose tokens administrators manage' })
  async createServiceAccount(@Body() body: CreateServiceAccountRequest, @CurrentPrincipal() admin: Principal): Promise<DirectoryUserState> {
    return this.directory.createUser(
      { userName: body.userName, displayName: body.displayName ?? null, externalId: null, name: null, emails: [], active: true },
      'serviceAccount',
      'admin',
      actorOf(admin),
    );
  }

  @Delete('service-accounts/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Retire a service account (UserDeactivated, deleted): its tokens stop working' })
  async deleteServiceAccount(@Param('id') id: string, @CurrentPrincipal() admin: Principal): Promise<void> {
    await this.directory.deleteUser(id, 'serviceAccount', 'admin', actorOf(admin));
  }
}
