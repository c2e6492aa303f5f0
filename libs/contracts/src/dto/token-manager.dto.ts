import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, Length, Max, Matches, Min } from 'class-validator';
import { Scope, Scopes } from '../token-events';

export const TokenSortKeys = ['created', 'expires', 'lastUsed', 'name', 'owner'] as const;
export type TokenSortKey = (typeof TokenSortKeys)[number];
export const TokenStatusFilters = ['active', 'expired', 'revoked'] as const;

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);
const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);

/** Query of the token manager (`GET /v1/admin/tokens`); the same query drives the CSV export. */
export class TokenManagerQuery {
  @ApiPropertyOptional({ description: 'owner user id (exact)' }) @IsOptional() @IsString() @Length(1, 200) owner?: string;
  @ApiPropertyOptional({ description: "a group the owner belongs to" }) @IsOptional() @IsString() @Length(1, 200) group?: string;
  @ApiPropertyOptional({ description: 'name contains (case-insensitive)' }) @IsOptional() @IsString() @Length(1, 100) name?: string;
  @ApiPropertyOptional({ enum: Scopes }) @IsOptional() @IsIn(Scopes as unknown as string[]) scope?: Scope;
  @ApiPropertyOptional({ enum: TokenStatusFilters }) @IsOptional() @IsIn(TokenStatusFilters as unknown as string[]) status?: (typeof TokenStatusFilters)[number];
  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) createdFrom?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) createdTo?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) expiresFrom?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) expiresTo?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) lastUsedFrom?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) lastUsedTo?: string;
  @ApiPropertyOptional({ description: 'only tokens never used (true) or only used ones (false)' })
  @IsOptional() @Transform(toBoolean) @IsBoolean() neverUsed?: boolean;
  @ApiPropertyOptional({ description: 'only tokens created on behalf of their owner (true) or by the owner (false)' })
  @IsOptional() @Transform(toBoolean) @IsBoolean() onBehalf?: boolean;
  @ApiPropertyOptional({ enum: TokenSortKeys, default: 'created' }) @IsOptional() @IsIn(TokenSortKeys as unknown as string[]) sort?: TokenSortKey;
  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'desc' }) @IsOptional() @IsIn(['asc', 'desc']) order?: 'asc' | 'desc';
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 }) @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(500) limit?: number;
  @ApiPropertyOptional({ description: 'opaque cursor from the previous page' })
  @IsOptional() @IsString() @Length(1, 500) @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor is not one this API returned' }) cursor?: string;
}
