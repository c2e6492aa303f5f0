import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsIP, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { KnownActions } from '../../entries/domain/audit-record';

export const AUDIT_QUERY_DEFAULT_LIMIT = 100;
export const AUDIT_QUERY_MAX_LIMIT = 500;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The filters GET /v1/audit and GET /v1/audit/export share; unknown parameters are a 400. */
export class AuditFilterDto {
  @ApiPropertyOptional({ description: 'who acted (user id)' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  actor?: string;

  @ApiPropertyOptional({ description: 'owner of the token concerned (user id)' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  owner?: string;

  @ApiPropertyOptional({ description: 'entries about this token, or made with it', format: 'uuid' })
  @IsOptional()
  @Matches(UUID, { message: 'tokenId must be a UUID' })
  tokenId?: string;

  @ApiPropertyOptional({ description: 'entries of this aggregate (token id, user id, group id, policy, ...)' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  aggregateId?: string;

  @ApiPropertyOptional({ enum: KnownActions })
  @IsOptional()
  @IsIn(KnownActions, { message: `action must be one of ${KnownActions.join(', ')}` })
  action?: string;

  @ApiPropertyOptional({ enum: ['success', 'failure'] })
  @IsOptional()
  @IsIn(['success', 'failure'], { message: 'outcome must be success or failure' })
  outcome?: 'success' | 'failure';

  @ApiPropertyOptional({ description: 'client IP (IPv4 or IPv6)' })
  @IsOptional()
  @IsIP(undefined, { message: 'ip must be an IPv4 or IPv6 address' })
  ip?: string;

  @ApiPropertyOptional({ description: 'occurred at or after (ISO 8601)', format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true }, { message: 'from must be an ISO 8601 date-time' })
  from?: string;

  @ApiPropertyOptional({ description: 'occurred before (ISO 8601, exclusive)', format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true }, { message: 'to must be an ISO 8601 date-time' })
  to?: string;
}

/** Query string of GET /v1/audit. */
export class AuditQueryDto extends AuditFilterDto {
  @ApiPropertyOptional({ minimum: 1, maximum: AUDIT_QUERY_MAX_LIMIT, default: AUDIT_QUERY_DEFAULT_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1)
  @Max(AUDIT_QUERY_MAX_LIMIT)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,40}$/, { message: 'cursor is not a cursor this API returned' })
  cursor?: string;
}

/** Query string of GET /v1/audit/export. */
export class AuditExportDto extends AuditFilterDto {
  @ApiPropertyOptional({ enum: ['ndjson', 'csv'], default: 'ndjson' })
  @IsOptional()
  @IsIn(['ndjson', 'csv'], { message: 'format must be ndjson or csv' })
  format?: 'ndjson' | 'csv';
}
