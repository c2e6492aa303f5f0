import {
  DirectoryGroupState,
  DirectoryUserState,
  EventEnvelope,
  isGroupEvent,
  isUserEvent,
} from '@latchkey/contracts';

const key = (s: string) => s.toLowerCase();

/**
 * An in-memory copy of the directory (users, groups, membership), fed by the events of `latchkey.directory.v1`.
 * Every event carries the full resulting state, so `apply` is an upsert; an event at or below the version
 * already held for its aggregate is ignored (at-least-once delivery, redelivery after a restart).
 *
 * Users are found by id or userName, groups by id or displayName (names case-insensitively). A deleted user
 * stays findable by userName (inactive) until a new user takes the name, so its tokens keep failing closed.
 */
export class DirectoryView {
  private readonly usersById = new Map<string, DirectoryUserState>();
  private readonly usersByName = new Map<string, string>();
  private readonly groupsById = new Map<string, DirectoryGroupState>();
  private readonly groupsByName = new Map<string, string>();
  /** user id -> ids of the (non-deleted) groups it is a member of */
  private readonly memberOf = new Map<string, Set<string>>();

  static of(users: readonly DirectoryUserState[], groups: readonly DirectoryGroupState[]): DirectoryView {
    const view = new DirectoryView();
    for (const u of users) view.putUser(u);
    for (const g of groups) view.putGroup(g);
    return view;
  }

  /** evolve: applies one directory event; returns false when it was not a directory event or already applied */
  apply(event: EventEnvelope): boolean {
    if (isUserEvent(event)) {
      const known = this.usersById.get(event.aggregateId);
      if (known && known.version >= event.version) return false;
      this.putUser({ ...event.state, version: event.version });
      return true;
    }
    if (isGroupEvent(event)) {
      const known = this.groupsById.get(event.aggregateId);
      if (known && known.version >= event.version) return false;
      this.putGroup({ ...event.state, version: event.version });
      return true;
    }
    return false;
  }

  putUser(user: DirectoryUserState): void {
    const before = this.usersById.get(user.id);
    if (before && key(before.userName) !== key(user.userName) && this.usersByName.get(key(before.userName)) === user.id) {
      this.usersByName.delete(key(before.userName));
    }
    this.usersById.set(user.id, user);
    const holder = this.usersById.get(this.usersByName.get(key(user.userName)) ?? '');
    // a live user always owns its name; a deleted one only while nobody else (alive) has it
    if (!holder || holder.id === user.id || holder.deleted || !user.deleted) this.usersByName.set(key(user.userName), user.id);
  }

  putGroup(group: DirectoryGroupState): void {
    const before = this.groupsById.get(group.id);
    if (before) {
      if (this.groupsByName.get(key(before.displayName)) === group.id) this.groupsByName.delete(key(before.displayName));
      for (const m of before.members) this.memberOf.get(m.value)?.delete(group.id);
    }
    this.groupsById.set(group.id, group);
    if (group.deleted) return;
    this.groupsByName.set(key(group.displayName), group.id);
    for (const m of group.members) {
      let set = this.memberOf.get(m.value);
      if (!set) this.memberOf.set(m.value, (set = new Set()));
      set.add(group.id);
    }
  }

  /** by id, else by userName (case-insensitive) */
  user(ref: string): DirectoryUserState | undefined {
    return this.usersById.get(ref) ?? this.usersById.get(this.usersByName.get(key(ref)) ?? '');
  }

  /** a non-deleted group by id, else by displayName (case-insensitive) */
  group(ref: string): DirectoryGroupState | undefined {
    const byId = this.groupsById.get(ref);
    if (byId && !byId.deleted) return byId;
    return this.groupsById.get(this.groupsByName.get(key(ref)) ?? '');
  }

  /** the (non-deleted) groups a user is a member of; empty for unknown users */
  groupsOf(userRef: string): DirectoryGroupState[] {
    const user = this.user(userRef);
    if (!user) return [];
    return [...(this.memberOf.get(user.id) ?? [])].map((id) => this.groupsById.get(id)!).filter((g) => g && !g.deleted);
  }

  /** ids and displayNames of the user's groups, for matching policy rules */
  groupNamesOf(userRef: string): string[] {
    return this.groupsOf(userRef).flatMap((g) => [g.id, g.displayName]);
  }

  users(): DirectoryUserState[] {
    return [...this.usersById.values()];
  }

  groups(): DirectoryGroupState[] {
    return [...this.groupsById.values()].filter((g) => !g.deleted);
  }

  get size(): { users: number; groups: number } {
    return { users: this.usersById.size, groups: this.groups().length };
  }
}
