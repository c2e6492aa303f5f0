import { Global, Module } from '@nestjs/common';
import { StalenessService } from './staleness.service';

@Global()
@Module({ providers: [StalenessService], exports: [StalenessService] })
export class StalenessModule {}
