import { EventEnvelope } from './envelope';
import { DeactivationMode } from './policy';

/**
 * Directory events (latchkey.directory.v1). Users and groups are aggregates of their own (Kafka key = their id);
 * every event carries the full resulting state in `state`, so a consumer needs no lookup.
 */
export const USER_AGGREGATE = 'user';
export const GROUP_AGGREGATE = 'group';

export type UserKind = 'person' | 'serviceAccount';

export interface DirectoryEmail {
  value: string;
  type?: string;
  primary?: boolean;
}

export interface DirectoryUserState {
  /** assigned by Latchkey (UUIDv7); SCIM `id` */
  id: string;
  /** unique among non-deleted users, case-insensitively; tokens' ownerId is usually this (the Jira username) */
  userName: string;
  externalId: string | null;
  displayName: string | null;
  name: { givenName?: string; familyName?: string; formatted?: string } | null;
  emails: DirectoryEmail[];
  active: boolean;
  kind: UserKind;
  /** SCIM DELETE: the user is gone from SCIM and inactive forever (a new user may take the userName) */
  deleted: boolean;
  created: string;
  lastModified: string;
  version: number;
}

export interface DirectoryGroupMember {
  /** user id */
  value: string;
  /** the member's userName at the time of the change */
  display?: string;
}

export interface DirectoryGroupState {
  id: string;
  /** unique among non-deleted groups, case-insensitively; policy rules reference groups by it */
  displayName: string;
  externalId: string | null;
  members: DirectoryGroupMember[];
  deleted: boolean;
  created: string;
  lastModified: string;
  version: number;
}

export const DirectoryEventTypes = {
  userProvisioned: 'UserProvisioned',
  userUpdated: 'UserUpdated',
  userDeactivated: 'UserDeactivated',
  userReactivated: 'UserReactivated',
  groupCreated: 'GroupCreated',
  /** contract addition: a group's displayName or externalId changed */
  groupUpdated: 'GroupUpdated',
  groupDeleted: 'GroupDeleted',
  memberAdded: 'MemberAdded',
  memberRemoved: 'MemberRemoved',
} as const;
export type DirectoryEventType = (typeof DirectoryEventTypes)[keyof typeof DirectoryEventTypes];

export type ChangeSource = 'scim' | 'admin';

export interface UserProvisionedData { source: ChangeSource }
export interface UserUpdatedData { source: ChangeSource; changed: string[] }
export interface UserDeactivatedData {
  source: ChangeSource;
  /** true for a SCIM DELETE (the user is gone), false for active=false */
  deleted: boolean;
  /** the policy's deactivation mode when this happened: `revoked` means the token-service revokes every token */
  tokens: DeactivationMode;
}
export interface UserReactivatedData { source: ChangeSource }
export interface GroupChangedData { source: ChangeSource; changed?: string[] }
export interface MembershipChangedData { source: ChangeSource; userIds: string[] }

export interface DirectoryEventDataByType {
  UserProvisioned: UserProvisionedData;
  UserUpdated: UserUpdatedData;
  UserDeactivated: UserDeactivatedData;
  UserReactivated: UserReactivatedData;
  GroupCreated: GroupChangedData;
  GroupUpdated: GroupChangedData;
  GroupDeleted: GroupChangedData;
  MemberAdded: MembershipChangedData;
  MemberRemoved: MembershipChangedData;
}

export type UserEventType = 'UserProvisioned' | 'UserUpdated' | 'UserDeactivated' | 'UserReactivated';
export type GroupEventType = Exclude<DirectoryEventType, UserEventType>;

export type UserEvent<T extends UserEventType = UserEventType> = EventEnvelope<T, DirectoryEventDataByType[T]> & {
  state: DirectoryUserState;
};
export type GroupEvent<T extends GroupEventType = GroupEventType> = EventEnvelope<T, DirectoryEventDataByType[T]> & {
  state: DirectoryGroupState;
};
export type DirectoryEvent = UserEvent | GroupEvent;

export function isUserEvent(e: EventEnvelope): e is UserEvent {
  return e.aggregateType === USER_AGGREGATE && typeof (e as Partial<UserEvent>).state === 'object' && (e as Partial<UserEvent>).state !== null;
}

export function isGroupEvent(e: EventEnvelope): e is GroupEvent {
  return e.aggregateType === GROUP_AGGREGATE && typeof (e as Partial<GroupEvent>).state === 'object' && (e as Partial<GroupEvent>).state !== null;
}
