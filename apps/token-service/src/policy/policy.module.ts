import { Global, Module } from '@nestjs/common';
import { PolicyView } from './policy-view';

/** The replica's policy and directory copy, available to the token use cases. */
@Global()
@Module({ providers: [PolicyView], exports: [PolicyView] })
export class PolicyViewModule {}
