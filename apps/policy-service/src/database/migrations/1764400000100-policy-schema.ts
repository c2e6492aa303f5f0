import { MigrationInterface, QueryRunner } from 'typeorm';
import { dropEventStoreSchemaSql, eventStoreSchemaSql } from '@latchkey/event-store';

/** The schema this migration runs in: the DataSource's (`policy`, or a fresh one per test run). */
const schemaOf = (q: QueryRunner): string => (q.connection.options as { schema?: string }).schema ?? 'policy';

/** Event store + outbox of the policy (and, later, directory) aggregates. */
export class PolicySchema1764400000100 implements MigrationInterface {
  name = 'PolicySchema1764400000100';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of eventStoreSchemaSql(schemaOf(q))) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of dropEventStoreSchemaSql(schemaOf(q))) await q.query(sql);
  }
}
