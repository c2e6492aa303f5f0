import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsUrl, MaxLength } from 'class-validator';
import { NoticeKind, NoticeKinds } from '@latchkey/contracts';
import { WebhookFormat, WebhookFormats } from '../../delivery/domain/webhook-payload';

export class CreateWebhookRequest {
  @ApiProperty({ example: 'https://hooks.example.com/latchkey' })
  @MaxLength(2000)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'url must be an http(s) URL' })
  url!: string;

  @ApiPropertyOptional({ enum: NoticeKinds, isArray: true, description: 'the notices it receives; empty or absent = all' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(NoticeKinds.length)
  @IsIn(NoticeKinds, { each: true, message: `kinds must be among ${NoticeKinds.join(', ')}` })
  kinds?: NoticeKind[];

  @ApiPropertyOptional({ enum: WebhookFormats, default: 'standard', description: 'standard (Standard Webhooks JSON), slack or teams (incoming-webhook shapes)' })
  @IsOptional()
  @IsIn(WebhookFormats, { message: `format must be one of ${WebhookFormats.join(', ')}` })
  format?: WebhookFormat;

  @ApiPropertyOptional({ description: 'administrators only: receive every user\'s notices (and the admin digest if listed in kinds)' })
  @IsOptional()
  @IsBoolean()
  allUsers?: boolean;
}

export class WebhookEndpointDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ nullable: true, type: String, description: 'null: every user\'s notices' }) ownerId!: string | null;
  @ApiProperty() url!: string;
  @ApiProperty({ enum: WebhookFormats }) format!: WebhookFormat;
  @ApiProperty({ enum: NoticeKinds, isArray: true }) kinds!: NoticeKind[];
  @ApiProperty() active!: boolean;
  @ApiProperty() createdBy!: string;
  @ApiProperty() createdAt!: string;
}

export class CreateWebhookResponse {
  @ApiProperty({ type: WebhookEndpointDto }) endpoint!: WebhookEndpointDto;
  @ApiProperty({ description: 'the signing secret (whsec_...): shown in this answer only; verify deliveries with a Standard Webhooks library' })
  secret!: string;
}
