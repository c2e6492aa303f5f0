import { Body, Controller, Get, Put, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminGuard, CurrentPrincipal, ManagementAuthGuard, Principal } from '@latchkey/auth';
import { MandatoryNotice } from './domain/channel-selection';
import { EffectivePreferenceDto, MandatoryNoticeDto, NotificationPolicyRequest, ReplacePreferencesRequest } from './dto/preferences.dto';
import { EffectivePreference, PreferencesService } from './preferences.service';

/** The caller's own notification preferences. */
@ApiTags('preferences')
@ApiBearerAuth()
@UseGuards(ManagementAuthGuard)
@Controller('v1/notifications/preferences')
export class PreferencesController {
  constructor(private readonly preferences: PreferencesService) {}

  @Get()
  @ApiOkResponse({ type: [EffectivePreferenceDto] })
  async get(@CurrentPrincipal() principal: Principal): Promise<{ items: EffectivePreference[] }> {
    return { items: await this.preferences.effective(principal) };
  }

  @Put()
  @ApiOkResponse({ type: [EffectivePreferenceDto] })
  async replace(@CurrentPrincipal() principal: Principal, @Body() body: ReplacePreferencesRequest): Promise<{ items: EffectivePreference[] }> {
    return { items: await this.preferences.replace(principal, body.preferences) };
  }
}

/** The notices administrators make mandatory (users cannot turn them off). */
@ApiTags('policy')
@ApiBearerAuth()
@UseGuards(ManagementAuthGuard, AdminGuard)
@Controller('v1/admin/notifications/policy')
export class NotificationPolicyController {
  constructor(private readonly preferences: PreferencesService) {}

  @Get()
  @ApiOkResponse({ type: [MandatoryNoticeDto] })
  async get(): Promise<{ mandatory: MandatoryNotice[] }> {
    return { mandatory: await this.preferences.policy() };
  }

  @Put()
  @ApiOkResponse({ type: [MandatoryNoticeDto] })
  async replace(@CurrentPrincipal() principal: Principal, @Body() body: NotificationPolicyRequest): Promise<{ mandatory: MandatoryNotice[] }> {
    return { mandatory: await this.preferences.replacePolicy(principal, body.mandatory) };
  }
}
