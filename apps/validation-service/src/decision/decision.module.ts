import { Module } from '@nestjs/common';
import { CLOCK, ValidationService } from './validation.service';

@Module({
  providers: [ValidationService, { provide: CLOCK, useValue: () => Date.now() }],
  exports: [ValidationService],
})
export class DecisionModule {}
