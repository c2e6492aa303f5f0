import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

export const AUDIT_QUERY_DEFAULT_LIMIT = 100;
export const AUDIT_QUERY_MAX_LIMIT = 500;

/** Query string of GET /v1/audit; unknown parameters are a 400. */
export class AuditQueryDto {
  @ApiPropertyOptional({ description: 'entries about this token, or made with it', format: 'uuid' })
  @IsOptional()
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { message: 'tokenId must be a UUID' })
  tokenId?: string;

  @ApiPropertyOptional({ description: 'entries of this aggregate (token id, user id, policy, ...)' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  aggregateId?: string;

  @ApiPropertyOptional({ description: 'event type, e.g. TokenIssued' })
  @IsOptional()
  @Matches(/^[A-Za-z][A-Za-z0-9_.-]{0,99}$/, { message: 'type must be an event type name such as TokenIssued' })
  type?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: AUDIT_QUERY_MAX_LIMIT, default: AUDIT_QUERY_DEFAULT_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1)
  @Max(AUDIT_QUERY_MAX_LIMIT)
  limit?: number;
}
