import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EventEnvelope } from '@latchkey/contracts';
import { PgEventStore } from '@latchkey/event-store';
import { POLICY_STREAM_ID } from './domain/policy.state';

export const POLICY_EVENT_STORE = Symbol('POLICY_EVENT_STORE');

/** The only place that reads the policy stream (the event store owns its SQL). */
@Injectable()
export class PolicyRepository {
  constructor(
    @Inject(POLICY_EVENT_STORE) private readonly events: PgEventStore,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  /** every event of the policy stream, oldest first */
  history(): Promise<EventEnvelope[]> {
    return this.events.readStream(POLICY_STREAM_ID);
  }

  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }
}
