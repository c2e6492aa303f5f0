import { Module } from '@nestjs/common';
import { StoreModule } from '../store/store.module';
import { PolicyController } from './policy.controller';
import { PolicyService } from './policy.service';

@Module({
  imports: [StoreModule],
  controllers: [PolicyController],
  providers: [PolicyService],
})
export class PolicyModule {}
