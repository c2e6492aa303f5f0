import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor, POLICY_AGGREGATE, POLICY_STREAM_ID, PolicyChangedData, PolicyDocument, PolicyEventTypes } from '@latchkey/contracts';
import { PgEventStore } from '@latchkey/event-store';
import { currentPolicy } from '@latchkey/policy-engine';

export const POLICY_EVENT_STORE = Symbol('POLICY_EVENT_STORE');

/** The only place that reads and appends the policy stream (the event store owns its SQL). */
@Injectable()
export class PolicyRepository {
  constructor(
    @Inject(POLICY_EVENT_STORE) private readonly events: PgEventStore,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  /** the current document (defaults at version 0 when nothing is stored) */
  async current(): Promise<PolicyDocument> {
    return currentPolicy(await this.events.readStream(POLICY_STREAM_ID));
  }

  /** appends PolicyChanged at expectedVersion + 1; a stale version throws StreamVersionConflictError */
  async change(expectedVersion: number, data: PolicyChangedData, actor: Actor): Promise<PolicyDocument> {
    const [event] = await this.events.append(POLICY_STREAM_ID, POLICY_AGGREGATE, expectedVersion, [{ type: PolicyEventTypes.changed, actor, data }]);
    return { version: event.version, rules: data.rules };
  }

  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }
}
