import { Module } from '@nestjs/common';
import { ViewRepository } from './view.repository';

/** The service's view of tokens and the directory (read by fan-out, reminders and the digest). */
@Module({ providers: [ViewRepository], exports: [ViewRepository] })
export class ViewModule {}
