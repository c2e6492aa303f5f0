import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminGuard, ManagementAuthGuard } from '@latchkey/auth';
import { CommonErrorCodes, DomainError } from '@latchkey/contracts';
import { ChainVerifyService, VerifyReport } from './chain-verify.service';
import { VerifyQueryDto } from './dto/verify-query.dto';

@ApiTags('audit')
@ApiBearerAuth()
@UseGuards(ManagementAuthGuard, AdminGuard)
@Controller('v1/audit/verify')
export class ChainVerifyController {
  constructor(private readonly verifier: ChainVerifyService) {}

  @Get()
  @ApiOperation({ summary: 'Walks the hash chain (whole, or fromSeq..toSeq) and the signed checkpoints; reports the first broken link' })
  async verify(@Query() q: VerifyQueryDto): Promise<VerifyReport> {
    if (q.fromSeq !== undefined && q.toSeq !== undefined && q.fromSeq > q.toSeq) {
      throw new DomainError(CommonErrorCodes.invalid, 'fromSeq must not be after toSeq');
    }
    return this.verifier.verify(q);
  }
}
