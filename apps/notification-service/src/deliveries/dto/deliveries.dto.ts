import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { NoticeKinds, NotificationChannels } from '@latchkey/contracts';
import { DeliveryStatuses } from '../../delivery/delivery.types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const DELIVERIES_MAX_LIMIT = 500;

/** GET /v1/admin/notifications/deliveries: newest first; unknown parameters are a 400. */
export class DeliveryQueryDto {
  @ApiPropertyOptional({ enum: DeliveryStatuses, description: 'dead = the dead-letter store' })
  @IsOptional()
  @IsIn(DeliveryStatuses, { message: `status must be one of ${DeliveryStatuses.join(', ')}` })
  status?: (typeof DeliveryStatuses)[number];

  @ApiPropertyOptional({ enum: NoticeKinds })
  @IsOptional()
  @IsIn(NoticeKinds, { message: `kind must be one of ${NoticeKinds.join(', ')}` })
  kind?: string;

  @ApiPropertyOptional({ enum: NotificationChannels })
  @IsOptional()
  @IsIn(NotificationChannels, { message: `channel must be one of ${NotificationChannels.join(', ')}` })
  channel?: string;

  @ApiPropertyOptional({ description: 'the user told' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  userId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @Matches(UUID, { message: 'tokenId must be a UUID' })
  tokenId?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: DELIVERIES_MAX_LIMIT, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(DELIVERIES_MAX_LIMIT)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

export class DeliveryDto {
  @ApiProperty({ format: 'uuid', description: 'also the webhook-id header and the e-mail Message-ID' }) id!: string;
  @ApiProperty() noticeKey!: string;
  @ApiProperty({ enum: NoticeKinds }) kind!: string;
  @ApiProperty({ enum: NotificationChannels }) channel!: string;
  @ApiProperty({ nullable: true, type: String }) userId!: string | null;
  @ApiProperty({ nullable: true, type: String }) tokenId!: string | null;
  @ApiProperty({ description: 'e-mail address or webhook endpoint id' }) recipient!: string;
  @ApiProperty({ enum: DeliveryStatuses }) status!: string;
  @ApiProperty() attempts!: number;
  @ApiProperty() nextAttemptAt!: string;
  @ApiProperty({ nullable: true, type: String }) lastError!: string | null;
  @ApiProperty() sourceEventId!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) sentAt!: string | null;
}
