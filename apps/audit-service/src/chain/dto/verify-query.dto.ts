import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** Query string of GET /v1/audit/verify: the whole chain, or a range of positions. */
export class VerifyQueryDto {
  @ApiPropertyOptional({ minimum: 1, description: 'first position to verify (default 1)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'fromSeq must be an integer' })
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  fromSeq?: number;

  @ApiPropertyOptional({ minimum: 1, description: 'last position to verify (default: the head)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'toSeq must be an integer' })
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  toSeq?: number;
}
