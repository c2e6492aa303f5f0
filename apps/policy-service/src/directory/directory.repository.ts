import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor, DirectoryGroupState, DirectoryUserState, GROUP_AGGREGATE, USER_AGGREGATE } from '@latchkey/contracts';
import { checkSchemaName, PgEventStore, SqlTransaction } from '@latchkey/event-store';
import { DirectoryView } from '@latchkey/policy-engine';
import { POLICY_SERVICE_CONFIG, PolicyServiceConfig } from '../config/policy-service.config';
import { POLICY_EVENT_STORE } from '../policy/policy.repository';
import { DirectoryError, DirectoryErrorCodes } from './domain/directory.errors';
import { GroupDecision, UserDecision } from './domain/directory.decider';

interface PgError {
  code?: string;
  constraint?: string;
  driverError?: { code?: string; constraint?: string };
}

function uniqueViolation(err: unknown): string | null {
  const e = (err ?? {}) as PgError;
  const code = e.code ?? e.driverError?.code;
  return code === '23505' ? e.constraint ?? e.driverError?.constraint ?? '' : null;
}

/**
 * Users and groups: each an event stream (aggregate `user` / `group`, stream id = its id), plus a projection
 * (directory_users / directory_groups) written in the same transaction, which serves reads and enforces
 * unique names among live resources.
 */
@Injectable()
export class DirectoryRepository {
  private readonly schema: string;

  constructor(
    @Inject(POLICY_EVENT_STORE) private readonly events: PgEventStore,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(POLICY_SERVICE_CONFIG) config: PolicyServiceConfig,
  ) {
    this.schema = `"${checkSchemaName(config.LATCHKEY_POLICY_SCHEMA)}"`;
  }

  async user(id: string): Promise<DirectoryUserState | null> {
    const rows: Array<{ state: DirectoryUserState }> = await this.db.query(`SELECT state FROM ${this.schema}.directory_users WHERE id = $1`, [id]);
    return rows[0]?.state ?? null;
  }

  async liveUserByName(userName: string): Promise<DirectoryUserState | null> {
    const rows: Array<{ state: DirectoryUserState }> = await this.db.query(
      `SELECT state FROM ${this.schema}.directory_users WHERE name_key = $1 AND NOT deleted`,
      [userName.toLowerCase()],
    );
    return rows[0]?.state ?? null;
  }

  /** live users, oldest first (stable paging) */
  async users(kind?: DirectoryUserState['kind']): Promise<DirectoryUserState[]> {
    const rows: Array<{ state: DirectoryUserState }> = await this.db.query(
      `SELECT state FROM ${this.schema}.directory_users WHERE NOT deleted ${kind ? 'AND kind = $1' : ''} ORDER BY created, id`,
      kind ? [kind] : [],
    );
    return rows.map((r) => r.state);
  }

  async usersByIds(ids: string[]): Promise<DirectoryUserState[]> {
    if (ids.length === 0) return [];
    const rows: Array<{ state: DirectoryUserState }> = await this.db.query(
      `SELECT state FROM ${this.schema}.directory_users WHERE id = ANY($1::text[]) AND NOT deleted`,
      [ids],
    );
    return rows.map((r) => r.state);
  }

  async group(id: string): Promise<DirectoryGroupState | null> {
    const rows: Array<{ state: DirectoryGroupState }> = await this.db.query(
      `SELECT state FROM ${this.schema}.directory_groups WHERE id = $1 AND NOT deleted`,
      [id],
    );
    return rows[0]?.state ?? null;
  }

  async groups(): Promise<DirectoryGroupState[]> {
    const rows: Array<{ state: DirectoryGroupState }> = await this.db.query(
      `SELECT state FROM ${this.schema}.directory_groups WHERE NOT deleted ORDER BY created, id`,
    );
    return rows.map((r) => r.state);
  }

  /** the whole directory (deleted users included, so their names still resolve) as a policy-engine view */
  async view(): Promise<DirectoryView> {
    const users: Array<{ state: DirectoryUserState }> = await this.db.query(`SELECT state FROM ${this.schema}.directory_users ORDER BY version`);
    return DirectoryView.of(
      users.map((r) => r.state),
      await this.groups(),
    );
  }

  async appendUser(id: string, expectedVersion: number, decisions: UserDecision[], actor: Actor): Promise<DirectoryUserState> {
    const final = decisions[decisions.length - 1].state;
    await this.append(id, USER_AGGREGATE, expectedVersion, decisions, actor, (tx) =>
      tx.query(
        `INSERT INTO ${this.schema}.directory_users (id, name_key, kind, deleted, version, created, state)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (id) DO UPDATE SET name_key = EXCLUDED.name_key, deleted = EXCLUDED.deleted, version = EXCLUDED.version, state = EXCLUDED.state`,
        [id, final.userName.toLowerCase(), final.kind, final.deleted, final.version, final.created, JSON.stringify(final)],
      ),
      `userName "${final.userName}" is already taken`,
    );
    return final;
  }

  async appendGroup(id: string, expectedVersion: number, decisions: GroupDecision[], actor: Actor): Promise<DirectoryGroupState> {
    const final = decisions[decisions.length - 1].state;
    await this.append(id, GROUP_AGGREGATE, expectedVersion, decisions, actor, (tx) =>
      tx.query(
        `INSERT INTO ${this.schema}.directory_groups (id, name_key, deleted, version, created, state)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (id) DO UPDATE SET name_key = EXCLUDED.name_key, deleted = EXCLUDED.deleted, version = EXCLUDED.version, state = EXCLUDED.state`,
        [id, final.displayName.toLowerCase(), final.deleted, final.version, final.created, JSON.stringify(final)],
      ),
      `a group named "${final.displayName}" already exists`,
    );
    return final;
  }

  private async append(
    id: string,
    aggregateType: string,
    expectedVersion: number,
    decisions: Array<UserDecision | GroupDecision>,
    actor: Actor,
    project: (tx: SqlTransaction) => Promise<unknown>,
    uniquenessMessage: string,
  ): Promise<void> {
    try {
      await this.events.append(
        id,
        aggregateType,
        expectedVersion,
        decisions.map((d) => ({ type: d.type, actor, data: d.data, extra: { state: d.state } })),
        async (tx) => {
          await project(tx);
        },
      );
    } catch (err) {
      const constraint = uniqueViolation(err);
      if (constraint !== null && constraint.endsWith('_live_name')) throw new DirectoryError(DirectoryErrorCodes.uniqueness, uniquenessMessage);
      throw err;
    }
  }

  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }
}
