import { Module } from '@nestjs/common';
import { ACCESS_VIEW } from '../decision/validation.service';
import { SyncModule } from '../sync/sync.module';
import { AccessSyncConsumer } from './access-sync.consumer';
import { PolicyAccessView } from './policy-access.view';

/** The directory and policy copy the decision consults (ACCESS_VIEW), kept current from Kafka. */
@Module({
  imports: [SyncModule],
  providers: [{ provide: PolicyAccessView, useFactory: () => new PolicyAccessView() }, { provide: ACCESS_VIEW, useExisting: PolicyAccessView }, AccessSyncConsumer],
  exports: [ACCESS_VIEW, PolicyAccessView, AccessSyncConsumer],
})
export class AccessModule {}
