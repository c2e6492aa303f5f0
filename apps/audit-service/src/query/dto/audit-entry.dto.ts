import { ApiProperty } from '@nestjs/swagger';

export class AuditActorDto {
  @ApiProperty() userId!: string;
  @ApiProperty({ enum: ['latchkey-token', 'oidc', 'bootstrap', 'scim', 'system'] }) via!: string;
  @ApiProperty({ required: false }) tokenId?: string;
  @ApiProperty({ required: false }) onBehalfOf?: string;
}

export class AuditEntryDto {
  @ApiProperty({ description: 'position in the audit log (ascending)' }) id!: number;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty() topic!: string;
  @ApiProperty() type!: string;
  @ApiProperty() aggregateType!: string;
  @ApiProperty() aggregateId!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ type: AuditActorDto }) actor!: AuditActorDto;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({ description: 'the event envelope as received', type: 'object', additionalProperties: true })
  payload!: Record<string, unknown>;
}

export class AuditEntryListDto {
  @ApiProperty({ type: [AuditEntryDto] }) items!: AuditEntryDto[];
}
