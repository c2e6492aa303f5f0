import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { Scope, Scopes, TokenView } from '../token-events';

export class IssueTokenRequest {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'ci-deploy' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ enum: Scopes, isArray: true, example: ['read'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  @ArrayUnique()
  @IsIn(Scopes as unknown as string[], { each: true, message: `each scope must be one of: ${Scopes.join(', ')}` })
  scopes!: Scope[];

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @ValidateIf((o: IssueTokenRequest) => o.expiresInDays === undefined)
  expiresAt?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 3650 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  expiresInDays?: number;

  @ApiPropertyOptional({ type: [String], example: ['10.0.0.0/8', '2001:db8::/32'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  allowedCidrs?: string[];

  @ApiPropertyOptional({ description: 'create on behalf of this user (administrators, and onBehalfOf rules of the policy)' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  ownerId?: string;
}

export class TokenViewDto implements TokenView {
  @ApiProperty() id!: string;
  @ApiProperty() ownerId!: string;
  @ApiProperty() createdBy!: string;
  @ApiProperty() name!: string;
  @ApiProperty() hint!: string;
  @ApiProperty({ enum: Scopes, isArray: true }) scopes!: Scope[];
  @ApiProperty({ type: [String] }) allowedCidrs!: string[];
  @ApiProperty({ enum: ['active', 'revoked', 'expired'] }) status!: TokenView['status'];
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) expiresAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) revokedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) revokedReason!: string | null;
  @ApiProperty() secretGeneration!: number;
  @ApiProperty({ nullable: true, type: String }) previousSecretValidUntil!: string | null;
  @ApiProperty() version!: number;
}

export class IssueTokenResponse {
  @ApiProperty({ type: TokenViewDto }) token!: TokenView;
  @ApiProperty({ description: 'the token secret; shown once, never stored' }) secret!: string;
}
