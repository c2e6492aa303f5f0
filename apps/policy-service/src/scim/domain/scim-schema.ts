/**
 * The attributes of the SCIM resources this service accepts (RFC 7643 §4 core User and Group, and the
 * enterprise User extension), by lower-case name: SCIM attribute names are case-insensitive. Attributes the
 * directory does not model (title, phoneNumbers, ...) are accepted and not stored; names outside these schemas
 * are an error (invalidSyntax in a body, invalidPath in a PATCH path).
 */
export interface AttrDef {
  name: string;
  multi?: boolean;
  /** sub-attributes of a complex attribute, by lower-case name */
  sub?: Record<string, string>;
  boolean?: boolean;
  /** id, meta, groups: the server's to set */
  readOnly?: boolean;
}
export type AttrDefs = Record<string, AttrDef>;

export const SCHEMAS = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  enterpriseUser: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  serviceProviderConfig: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  resourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  schema: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
} as const;

const subs = (...names: string[]): Record<string, string> => Object.fromEntries(names.map((n) => [n.toLowerCase(), n]));
const defs = (list: AttrDef[]): AttrDefs => Object.fromEntries(list.map((d) => [d.name.toLowerCase(), d]));

const multiValueSubs = subs('value', 'display', 'type', 'primary', '$ref');

export const USER_ATTRS: AttrDefs = defs([
  { name: 'id', readOnly: true },
  { name: 'meta', readOnly: true },
  { name: 'externalId' },
  { name: 'userName' },
  { name: 'name', sub: subs('formatted', 'familyName', 'givenName', 'middleName', 'honorificPrefix', 'honorificSuffix') },
  { name: 'displayName' },
  { name: 'nickName' },
  { name: 'profileUrl' },
  { name: 'title' },
  { name: 'userType' },
  { name: 'preferredLanguage' },
  { name: 'locale' },
  { name: 'timezone' },
  { name: 'active', boolean: true },
  { name: 'password' },
  { name: 'emails', multi: true, sub: multiValueSubs },
  { name: 'phoneNumbers', multi: true, sub: multiValueSubs },
  { name: 'ims', multi: true, sub: multiValueSubs },
  { name: 'photos', multi: true, sub: multiValueSubs },
  {
    name: 'addresses',
    multi: true,
    sub: subs('formatted', 'streetAddress', 'locality', 'region', 'postalCode', 'country', 'type', 'primary'),
  },
  { name: 'groups', multi: true, sub: multiValueSubs, readOnly: true },
  { name: 'entitlements', multi: true, sub: multiValueSubs },
  { name: 'roles', multi: true, sub: multiValueSubs },
  { name: 'x509Certificates', multi: true, sub: multiValueSubs },
]);

export const ENTERPRISE_USER_ATTRS: AttrDefs = defs([
  { name: 'employeeNumber' },
  { name: 'costCenter' },
  { name: 'organization' },
  { name: 'division' },
  { name: 'department' },
  { name: 'manager', sub: subs('value', '$ref', 'displayName') },
]);

export const GROUP_ATTRS: AttrDefs = defs([
  { name: 'id', readOnly: true },
  { name: 'meta', readOnly: true },
  { name: 'externalId' },
  { name: 'displayName' },
  { name: 'members', multi: true, sub: subs('value', 'display', 'type', '$ref') },
]);

/** A resource type's attribute definitions plus the extension schemas it allows (by lower-case URN). */
export interface ResourceSchema {
  core: string;
  attrs: AttrDefs;
  extensions: Record<string, { urn: string; attrs: AttrDefs }>;
}

export const USER_SCHEMA: ResourceSchema = {
  core: SCHEMAS.user,
  attrs: USER_ATTRS,
  extensions: { [SCHEMAS.enterpriseUser.toLowerCase()]: { urn: SCHEMAS.enterpriseUser, attrs: ENTERPRISE_USER_ATTRS } },
};

export const GROUP_SCHEMA: ResourceSchema = { core: SCHEMAS.group, attrs: GROUP_ATTRS, extensions: {} };
