import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { Actor, ChangeSource, DirectoryGroupMember, DirectoryGroupState, DirectoryUserState, UserKind } from '@latchkey/contracts';
import { StreamVersionConflictError } from '@latchkey/event-store';
import { PolicyRepository } from '../policy/policy.repository';
import { DirectoryRepository } from './directory.repository';
import {
  decideCreateGroup,
  decideCreateUser,
  decideDeleteGroup,
  decideDeleteUser,
  decideUpdateGroup,
  decideUpdateUser,
  GroupInput,
  UserInput,
} from './domain/directory.decider';
import { DirectoryError, DirectoryErrorCodes } from './domain/directory.errors';

const ATTEMPTS = 3;

/** Read, decide, append; a concurrent change to the same user or group is retried on fresh state. */
async function withRetry<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof StreamVersionConflictError) || attempt >= ATTEMPTS) throw err;
    }
  }
}

/** Use cases of the directory (users, groups, service accounts); SCIM and the admin API are its callers. */
@Injectable()
export class DirectoryService {
  constructor(
    private readonly directory: DirectoryRepository,
    private readonly policies: PolicyRepository,
  ) {}

  private readonly now = (): Date => new Date();

  async createUser(input: UserInput, kind: UserKind, source: ChangeSource, actor: Actor): Promise<DirectoryUserState> {
    if (await this.directory.liveUserByName(input.userName)) {
      throw new DirectoryError(DirectoryErrorCodes.uniqueness, `userName "${input.userName}" is already taken`);
    }
    const id = uuidv7();
    return this.directory.appendUser(id, 0, decideCreateUser(id, input, kind, source, this.now()), actor);
  }

  /** a user SCIM may see and change: persons only (service accounts belong to the admin API) */
  async scimUser(id: string): Promise<DirectoryUserState> {
    const user = await this.directory.user(id);
    if (!user || user.deleted || user.kind !== 'person') throw new DirectoryError(DirectoryErrorCodes.userNotFound, `no user with id ${id}`);
    return user;
  }

  async user(id: string, kind?: UserKind): Promise<DirectoryUserState> {
    const user = await this.directory.user(id);
    if (!user || user.deleted || (kind && user.kind !== kind)) throw new DirectoryError(DirectoryErrorCodes.userNotFound, `no user with id ${id}`);
    return user;
  }

  /** replaces the user with what `change` makes of its current state (SCIM PUT and PATCH) */
  async updateUser(
    id: string,
    kind: UserKind,
    change: (current: DirectoryUserState) => UserInput | Promise<UserInput>,
    source: ChangeSource,
    actor: Actor,
  ): Promise<DirectoryUserState> {
    return withRetry(async () => {
      const current = await this.user(id, kind);
      const input = await change(current);
      if (input.userName.toLowerCase() !== current.userName.toLowerCase()) {
        const holder = await this.directory.liveUserByName(input.userName);
        if (holder && holder.id !== id) throw new DirectoryError(DirectoryErrorCodes.uniqueness, `userName "${input.userName}" is already taken`);
      }
      const mode = (await this.policies.current()).rules.deactivation;
      const decisions = decideUpdateUser(current, input, source, this.now(), mode);
      return decisions.length === 0 ? current : this.directory.appendUser(id, current.version, decisions, actor);
    });
  }

  async deleteUser(id: string, kind: UserKind, source: ChangeSource, actor: Actor): Promise<void> {
    await withRetry(async () => {
      const current = await this.user(id, kind);
      const mode = (await this.policies.current()).rules.deactivation;
      await this.directory.appendUser(id, current.version, decideDeleteUser(current, source, this.now(), mode), actor);
    });
  }

  liveUserByName(userName: string): Promise<DirectoryUserState | null> {
    return this.directory.liveUserByName(userName);
  }

  users(kind?: UserKind): Promise<DirectoryUserState[]> {
    return this.directory.users(kind);
  }

  async createGroup(input: GroupInput, source: ChangeSource, actor: Actor): Promise<DirectoryGroupState> {
    const members = await this.resolveMembers(input.members);
    const id = uuidv7();
    return this.directory.appendGroup(id, 0, decideCreateGroup(id, { ...input, members }, source, this.now()), actor);
  }

  async group(id: string): Promise<DirectoryGroupState> {
    const group = await this.directory.group(id);
    if (!group) throw new DirectoryError(DirectoryErrorCodes.groupNotFound, `no group with id ${id}`);
    return group;
  }

  async updateGroup(
    id: string,
    change: (current: DirectoryGroupState) => GroupInput | Promise<GroupInput>,
    source: ChangeSource,
    actor: Actor,
  ): Promise<DirectoryGroupState> {
    return withRetry(async () => {
      const current = await this.group(id);
      const input = await change(current);
      const members = await this.resolveMembers(input.members, current.members);
      const decisions = decideUpdateGroup(current, { ...input, members }, source, this.now());
      return decisions.length === 0 ? current : this.directory.appendGroup(id, current.version, decisions, actor);
    });
  }

  async deleteGroup(id: string, source: ChangeSource, actor: Actor): Promise<void> {
    await withRetry(async () => {
      const current = await this.group(id);
      await this.directory.appendGroup(id, current.version, decideDeleteGroup(current, source, this.now()), actor);
    });
  }

  groups(): Promise<DirectoryGroupState[]> {
    return this.directory.groups();
  }

  /**
   * Members must be live users (nested groups are not supported); an unknown id rejects the whole change.
   * Members already in the group stay even if since deleted, so a PATCH on an unrelated attribute still works.
   */
  private async resolveMembers(members: DirectoryGroupMember[], existing: DirectoryGroupMember[] = []): Promise<DirectoryGroupMember[]> {
    const unique = [...new Map(members.map((m) => [m.value, m])).values()];
    const kept = new Set(existing.map((m) => m.value));
    const toCheck = unique.filter((m) => !kept.has(m.value)).map((m) => m.value);
    const found = new Map((await this.directory.usersByIds(toCheck)).map((u) => [u.id, u]));
    const unknown = toCheck.filter((id) => !found.has(id));
    if (unknown.length > 0) {
      throw new DirectoryError(DirectoryErrorCodes.invalidValue, `unknown member(s): ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', …' : ''}`);
    }
    return unique.map((m) => ({ value: m.value, display: found.get(m.value)?.userName ?? existing.find((e) => e.value === m.value)?.display ?? m.display }));
  }
}
