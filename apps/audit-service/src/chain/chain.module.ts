import { Module } from '@nestjs/common';
import { AUDIT_SERVICE_CONFIG, AuditServiceConfig } from '../config/audit-service.config';
import { AuditEntriesModule } from '../entries/audit-entries.module';
import { ChainVerifyController } from './chain-verify.controller';
import { ChainVerifyService } from './chain-verify.service';
import { CheckpointRepository } from './checkpoint.repository';
import { CheckpointService } from './checkpoint.service';
import { loadSigningKey, SIGNING_KEY } from './signing-key';

/** Chain verification and signed checkpoints. */
@Module({
  imports: [AuditEntriesModule],
  controllers: [ChainVerifyController],
  providers: [
    { provide: SIGNING_KEY, inject: [AUDIT_SERVICE_CONFIG], useFactory: (config: AuditServiceConfig) => loadSigningKey(config) },
    CheckpointRepository,
    CheckpointService,
    ChainVerifyService,
  ],
  exports: [CheckpointService, ChainVerifyService],
})
export class ChainModule {}
