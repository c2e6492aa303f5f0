import { DirectoryGroupState, DirectoryUserState } from '@latchkey/contracts';
import { GroupInput, UserInput } from '../../directory/domain/directory.decider';
import { invalidValue } from './scim.error';
import { isObject, Json, optionalString, requiredString, scimBoolean } from './scim-resource';
import { SCHEMAS } from './scim-schema';

const MAX_EMAILS = 20;
const MAX_MEMBERS = 10_000;

/** A canonical SCIM User body -> what the directory stores; `active` defaults to `activeDefault` when absent. */
export function userInputFromScim(res: Json, activeDefault: boolean): UserInput {
  const name = res.name;
  if (name !== undefined && name !== null && !isObject(name)) throw invalidValue('name must be an object');
  const n = (name ?? {}) as Json;
  const nameOut = {
    ...(optionalString(n.givenName, 'name.givenName') ? { givenName: n.givenName as string } : {}),
    ...(optionalString(n.familyName, 'name.familyName') ? { familyName: n.familyName as string } : {}),
    ...(optionalString(n.formatted, 'name.formatted') ? { formatted: n.formatted as string } : {}),
  };
  const emails = (Array.isArray(res.emails) ? res.emails : []) as Json[];
  if (emails.length > MAX_EMAILS) throw invalidValue(`at most ${MAX_EMAILS} emails`);
  return {
    userName: requiredString(res.userName, 'userName'),
    externalId: optionalString(res.externalId, 'externalId'),
    displayName: optionalString(res.displayName, 'displayName'),
    name: Object.keys(nameOut).length > 0 ? nameOut : null,
    emails: emails.map((e, i) => ({
      value: requiredString(e.value, `emails[${i}].value`, 320),
      ...(optionalString(e.type, `emails[${i}].type`, 40) ? { type: e.type as string } : {}),
      ...(e.primary !== undefined && e.primary !== null ? { primary: scimBoolean(e.primary, `emails[${i}].primary`) } : {}),
    })),
    active: res.active === undefined || res.active === null ? activeDefault : scimBoolean(res.active, 'active'),
  };
}

export function groupInputFromScim(res: Json): GroupInput {
  const members = (Array.isArray(res.members) ? res.members : []) as Json[];
  if (members.length > MAX_MEMBERS) throw invalidValue(`at most ${MAX_MEMBERS} members per request`);
  return {
    displayName: requiredString(res.displayName, 'displayName'),
    externalId: optionalString(res.externalId, 'externalId'),
    members: members.map((m, i) => {
      if (typeof m.type === 'string' && m.type.toLowerCase() === 'group') throw invalidValue(`members[${i}]: nested groups are not supported`);
      const display = optionalString(m.display, `members[${i}].display`);
      return { value: requiredString(m.value, `members[${i}].value`, 100), ...(display ? { display } : {}) };
    }),
  };
}

const version = (v: number) => `W/"${v}"`;

export function userToScim(user: DirectoryUserState, baseUrl: string, groups: DirectoryGroupState[] = []): Json {
  return {
    schemas: [SCHEMAS.user],
    id: user.id,
    ...(user.externalId ? { externalId: user.externalId } : {}),
    userName: user.userName,
    ...(user.name ? { name: user.name } : {}),
    ...(user.displayName ? { displayName: user.displayName } : {}),
    emails: user.emails,
    active: user.active,
    groups: groups.map((g) => ({ value: g.id, display: g.displayName, $ref: `${baseUrl}/Groups/${g.id}` })),
    meta: { resourceType: 'User', created: user.created, lastModified: user.lastModified, location: `${baseUrl}/Users/${user.id}`, version: version(user.version) },
  };
}

export function groupToScim(group: DirectoryGroupState, baseUrl: string, withMembers = true): Json {
  return {
    schemas: [SCHEMAS.group],
    id: group.id,
    ...(group.externalId ? { externalId: group.externalId } : {}),
    displayName: group.displayName,
    ...(withMembers ? { members: group.members.map((m) => ({ value: m.value, ...(m.display ? { display: m.display } : {}), $ref: `${baseUrl}/Users/${m.value}` })) } : {}),
    meta: { resourceType: 'Group', created: group.created, lastModified: group.lastModified, location: `${baseUrl}/Groups/${group.id}`, version: version(group.version) },
  };
}
