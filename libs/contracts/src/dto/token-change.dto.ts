import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min, ValidateIf } from 'class-validator';

export class RenameTokenRequest {
  @ApiProperty({ minLength: 1, maxLength: 100 }) @IsString() @Length(1, 100) name!: string;
}

export class RotateTokenRequest {
  @ApiPropertyOptional({ description: 'seconds the old secret keeps working (0 = stops at once)', minimum: 0, maximum: 604800, default: 0 })
  @IsOptional() @IsInt() @Min(0) @Max(604_800) graceSeconds?: number;
}

/** Bulk revoke: exactly one of ids or ownerId. */
export class BulkRevokeRequest {
  @ApiPropertyOptional({ type: [String] })
  @ValidateIf((o: BulkRevokeRequest) => o.ownerId === undefined)
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(10_000) @IsUUID('all', { each: true }) ids?: string[];

  @ApiPropertyOptional()
  @ValidateIf((o: BulkRevokeRequest) => o.ids === undefined)
  @IsString() @Length(1, 200) ownerId?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) reason?: string;
}

/** Public report of token strings found in the wild. */
export class LeakedTokensRequest {
  @ApiProperty({ type: [String], maxItems: 1000 })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(1000) @IsString({ each: true }) @Length(1, 200, { each: true }) tokens!: string[];
}

export interface LeakedTokensResponse {
  received: number;
  revoked: number;
}
