import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DecisionCode, DecisionCodes } from '../decision';
import { Scope } from '../token-events';

/** Body of POST /v1/validate. Exactly one of token / authorization is expected. */
export interface ValidateRequest {
  token?: string;
  authorization?: string;
  method: string;
  path: string;
  ip: string;
  userAgent?: string;
}

export interface ValidateResponse {
  valid: boolean;
  code: DecisionCode;
  tokenId: string | null;
  userId: string | null;
  scopes: Scope[];
  expiresAt: string | null;
}

/** OpenAPI description of the validate contract (the hot path validates by hand, without class-validator). */
export class ValidateRequestDto implements ValidateRequest {
  @ApiPropertyOptional({ description: 'the bare token' }) token?: string;
  @ApiPropertyOptional({ description: 'a whole Authorization header (Bearer or Basic)' }) authorization?: string;
  @ApiProperty({ example: 'GET' }) method!: string;
  @ApiProperty({ example: '/rest/api/2/issue/ABC-1' }) path!: string;
  @ApiProperty({ example: '203.0.113.7' }) ip!: string;
  @ApiPropertyOptional() userAgent?: string;
}

export class ValidateResponseDto implements ValidateResponse {
  @ApiProperty() valid!: boolean;
  @ApiProperty({ enum: DecisionCodes }) code!: DecisionCode;
  @ApiProperty({ nullable: true, type: String }) tokenId!: string | null;
  @ApiProperty({ nullable: true, type: String }) userId!: string | null;
  @ApiProperty({ type: [String] }) scopes!: Scope[];
  @ApiProperty({ nullable: true, type: String }) expiresAt!: string | null;
}
