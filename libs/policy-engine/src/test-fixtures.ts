import {
  DirectoryGroupState,
  DirectoryUserState,
  GROUP_AGGREGATE,
  GroupEvent,
  GroupEventType,
  SYSTEM_ACTOR,
  USER_AGGREGATE,
  UserEvent,
  UserEventType,
} from '@latchkey/contracts';
import { DirectoryView } from './directory-view';

const T = '2025-01-01T00:00:00.000Z';

export function aUser(userName: string, over: Partial<DirectoryUserState> = {}): DirectoryUserState {
  return {
    id: `id-${userName}`,
    userName,
    externalId: null,
    displayName: userName,
    name: null,
    emails: [],
    active: true,
    kind: 'person',
    deleted: false,
    created: T,
    lastModified: T,
    version: 1,
    ...over,
  };
}

export function aGroup(displayName: string, members: DirectoryUserState[] = [], over: Partial<DirectoryGroupState> = {}): DirectoryGroupState {
  return {
    id: `gid-${displayName}`,
    displayName,
    externalId: null,
    members: members.map((m) => ({ value: m.id, display: m.userName })),
    deleted: false,
    created: T,
    lastModified: T,
    version: 1,
    ...over,
  };
}

export function userEvent(type: UserEventType, state: DirectoryUserState): UserEvent {
  return {
    eventId: `e-${state.id}-${state.version}`,
    type,
    aggregateType: USER_AGGREGATE,
    aggregateId: state.id,
    version: state.version,
    occurredAt: T,
    actor: SYSTEM_ACTOR,
    data: { source: 'scim' },
    state,
  } as UserEvent;
}

export function groupEvent(type: GroupEventType, state: DirectoryGroupState): GroupEvent {
  return {
    eventId: `e-${state.id}-${state.version}`,
    type,
    aggregateType: GROUP_AGGREGATE,
    aggregateId: state.id,
    version: state.version,
    occurredAt: T,
    actor: SYSTEM_ACTOR,
    data: { source: 'scim' },
    state,
  } as GroupEvent;
}

/** given(users, groups) -> a directory view */
export function givenDirectory(users: DirectoryUserState[], groups: DirectoryGroupState[] = []): DirectoryView {
  return DirectoryView.of(users, groups);
}
