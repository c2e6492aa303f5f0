import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class AuditEntryDto {
  @ApiProperty({ description: 'position in the hash chain (ascending, gap-free)' }) seq!: number;
  @ApiProperty() eventId!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({ enum: ['token', 'directory', 'policy', 'decision', 'usage', 'notification', 'other'] }) category!: string;
  @ApiProperty({ description: 'what happened, e.g. TokenIssued, AccessDenied' }) action!: string;
  @ApiProperty({ enum: ['success', 'failure'] }) outcome!: string;
  @ApiPropertyOptional({ nullable: true, description: 'revocation reason, denial code' }) reason!: string | null;
  @ApiProperty({ nullable: true, description: 'who acted' }) actorId!: string | null;
  @ApiProperty({ nullable: true, enum: ['latchkey-token', 'oidc', 'bootstrap', 'scim', 'system'] }) actorVia!: string | null;
  @ApiProperty({ nullable: true, description: 'the Latchkey token the actor used' }) actorTokenId!: string | null;
  @ApiProperty({ nullable: true, description: 'on whose behalf' }) onBehalfOf!: string | null;
  @ApiProperty({ nullable: true }) ownerId!: string | null;
  @ApiProperty({ nullable: true }) tokenId!: string | null;
  @ApiProperty({ nullable: true }) userId!: string | null;
  @ApiProperty({ nullable: true }) groupId!: string | null;
  @ApiProperty({ nullable: true }) ip!: string | null;
  @ApiProperty({ nullable: true }) userAgent!: string | null;
  @ApiProperty() topic!: string;
  @ApiProperty() type!: string;
  @ApiProperty() aggregateType!: string;
  @ApiProperty() aggregateId!: string;
  @ApiProperty({ nullable: true }) version!: number | null;
  @ApiProperty({ description: 'SHA-256 link of this entry' }) hash!: string;
  @ApiProperty() prevHash!: string;
  @ApiProperty({ description: 'the message as received, secrets redacted', type: 'object', additionalProperties: true, nullable: true })
  payload!: Record<string, unknown> | null;
}

export class AuditEntryListDto {
  @ApiProperty({ type: [AuditEntryDto], description: 'newest first' }) items!: AuditEntryDto[];
  @ApiProperty({ nullable: true, description: 'pass as cursor for the next (older) page; null on the last page' })
  nextCursor!: string | null;
}
