import {
  ChangeSource,
  DeactivationMode,
  DirectoryEventDataByType,
  DirectoryGroupMember,
  DirectoryGroupState,
  DirectoryUserState,
  GroupEventType,
  UserEventType,
  UserKind,
} from '@latchkey/contracts';

/** What a user is made of, as SCIM or the admin API describe it (no id, no bookkeeping). */
export interface UserInput {
  userName: string;
  externalId: string | null;
  displayName: string | null;
  name: DirectoryUserState['name'];
  emails: DirectoryUserState['emails'];
  active: boolean;
}

export interface GroupInput {
  displayName: string;
  externalId: string | null;
  /** user ids */
  members: DirectoryGroupMember[];
}

export interface Decided<TType extends string, TState> {
  type: TType;
  data: DirectoryEventDataByType[TType & keyof DirectoryEventDataByType];
  /** the full state after this event */
  state: TState;
}
export type UserDecision = Decided<UserEventType, DirectoryUserState>;
export type GroupDecision = Decided<GroupEventType, DirectoryGroupState>;

const PROFILE_FIELDS = ['userName', 'externalId', 'displayName', 'name', 'emails'] as const;
/** JSON with sorted keys: states read back from jsonb come with their keys reordered */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}
const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);

export function decideCreateUser(id: string, input: UserInput, kind: UserKind, source: ChangeSource, now: Date): UserDecision[] {
  const t = now.toISOString();
  const state: DirectoryUserState = { id, ...input, kind, deleted: false, created: t, lastModified: t, version: 1 };
  return [{ type: 'UserProvisioned', data: { source }, state }];
}

/**
 * A replace (SCIM PUT, or the result of a PATCH): UserUpdated for profile changes, then UserDeactivated or
 * UserReactivated when `active` flips. Nothing changed = no events.
 */
export function decideUpdateUser(
  current: DirectoryUserState,
  input: UserInput,
  source: ChangeSource,
  now: Date,
  deactivation: DeactivationMode,
): UserDecision[] {
  const t = now.toISOString();
  const out: UserDecision[] = [];
  let state = current;
  const changed = PROFILE_FIELDS.filter((f) => !same(current[f], input[f]));
  if (changed.length > 0) {
    state = { ...state, ...Object.fromEntries(changed.map((f) => [f, input[f]])), lastModified: t, version: state.version + 1 };
    out.push({ type: 'UserUpdated', data: { source, changed: [...changed] }, state });
  }
  if (current.active && !input.active) {
    state = { ...state, active: false, lastModified: t, version: state.version + 1 };
    out.push({ type: 'UserDeactivated', data: { source, deleted: false, tokens: deactivation }, state });
  } else if (!current.active && input.active) {
    state = { ...state, active: true, lastModified: t, version: state.version + 1 };
    out.push({ type: 'UserReactivated', data: { source }, state });
  }
  return out;
}

/** SCIM DELETE (or retiring a service account): the user is gone and inactive for good. */
export function decideDeleteUser(current: DirectoryUserState, source: ChangeSource, now: Date, deactivation: DeactivationMode): UserDecision[] {
  const state: DirectoryUserState = { ...current, active: false, deleted: true, lastModified: now.toISOString(), version: current.version + 1 };
  return [{ type: 'UserDeactivated', data: { source, deleted: true, tokens: deactivation }, state }];
}

export function decideCreateGroup(id: string, input: GroupInput, source: ChangeSource, now: Date): GroupDecision[] {
  const t = now.toISOString();
  const state: DirectoryGroupState = { id, ...input, deleted: false, created: t, lastModified: t, version: 1 };
  return [{ type: 'GroupCreated', data: { source }, state }];
}

/** GroupUpdated for name/externalId, MemberAdded and MemberRemoved for membership; nothing changed = no events. */
export function decideUpdateGroup(current: DirectoryGroupState, input: GroupInput, source: ChangeSource, now: Date): GroupDecision[] {
  const t = now.toISOString();
  const out: GroupDecision[] = [];
  let state = current;
  const changed = (['displayName', 'externalId'] as const).filter((f) => !same(current[f], input[f]));
  if (changed.length > 0) {
    state = { ...state, displayName: input.displayName, externalId: input.externalId, lastModified: t, version: state.version + 1 };
    out.push({ type: 'GroupUpdated', data: { source, changed: [...changed] }, state });
  }
  const before = new Set(current.members.map((m) => m.value));
  const after = new Set(input.members.map((m) => m.value));
  const removed = [...before].filter((id) => !after.has(id));
  const added = input.members.filter((m) => !before.has(m.value));
  if (removed.length > 0) {
    state = { ...state, members: state.members.filter((m) => after.has(m.value)), lastModified: t, version: state.version + 1 };
    out.push({ type: 'MemberRemoved', data: { source, userIds: removed }, state });
  }
  if (added.length > 0) {
    state = { ...state, members: [...state.members, ...added], lastModified: t, version: state.version + 1 };
    out.push({ type: 'MemberAdded', data: { source, userIds: added.map((m) => m.value) }, state });
  }
  return out;
}

export function decideDeleteGroup(current: DirectoryGroupState, source: ChangeSource, now: Date): GroupDecision[] {
  const state: DirectoryGroupState = { ...current, members: [], deleted: true, lastModified: now.toISOString(), version: current.version + 1 };
  return [{ type: 'GroupDeleted', data: { source }, state }];
}
