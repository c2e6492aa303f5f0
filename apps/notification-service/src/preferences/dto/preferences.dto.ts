import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, ValidateNested } from 'class-validator';
import { NoticeKind, NoticeKinds, NotificationChannel, NotificationChannels } from '@latchkey/contracts';

export class PreferenceDto {
  @ApiProperty({ enum: NoticeKinds })
  @IsIn(NoticeKinds, { message: `kind must be one of ${NoticeKinds.join(', ')}` })
  kind!: NoticeKind;

  @ApiProperty({ enum: NotificationChannels })
  @IsIn(NotificationChannels, { message: `channel must be one of ${NotificationChannels.join(', ')}` })
  channel!: NotificationChannel;

  @ApiProperty()
  @IsBoolean()
  enabled!: boolean;
}

/** PUT /v1/notifications/preferences: the whole set (kind x channel); what is not listed is on. */
export class ReplacePreferencesRequest {
  @ApiProperty({ type: [PreferenceDto] })
  @IsArray()
  @ArrayMaxSize(NoticeKinds.length * NotificationChannels.length)
  @ValidateNested({ each: true })
  @Type(() => PreferenceDto)
  preferences!: PreferenceDto[];
}

export class EffectivePreferenceDto extends PreferenceDto {
  @ApiProperty({ description: 'required by the administrators: sent whatever `enabled` says' })
  mandatory!: boolean;
}

export class MandatoryNoticeDto {
  @ApiProperty({ enum: NoticeKinds })
  @IsIn(NoticeKinds, { message: `kind must be one of ${NoticeKinds.join(', ')}` })
  kind!: NoticeKind;

  @ApiProperty({ enum: NotificationChannels })
  @IsIn(NotificationChannels, { message: `channel must be one of ${NotificationChannels.join(', ')}` })
  channel!: NotificationChannel;
}

/** PUT /v1/admin/notifications/policy: the notices users cannot turn off. */
export class NotificationPolicyRequest {
  @ApiProperty({ type: [MandatoryNoticeDto] })
  @IsArray()
  @ArrayMaxSize(NoticeKinds.length * NotificationChannels.length)
  @ValidateNested({ each: true })
  @Type(() => MandatoryNoticeDto)
  mandatory!: MandatoryNoticeDto[];
}
