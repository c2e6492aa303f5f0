import { Controller, Get, Header, Param, Req, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { ScimError } from './domain/scim.error';
import { Json } from './domain/scim-resource';
import { AttrDefs, ENTERPRISE_USER_ATTRS, GROUP_ATTRS, SCHEMAS, USER_ATTRS } from './domain/scim-schema';
import { ScimAuthGuard } from './scim-auth.guard';
import { SCIM_CONTENT_TYPE, ScimExceptionFilter } from './scim-exception.filter';
import { scimBaseUrl } from './scim-users.controller';

function attributes(defs: AttrDefs): Json[] {
  return Object.values(defs).map((d) => ({
    name: d.name,
    type: d.boolean ? 'boolean' : d.sub ? 'complex' : 'string',
    multiValued: !!d.multi,
    required: d.name === 'userName' || d.name === 'displayName',
    caseExact: d.name === 'id' || d.name === 'externalId',
    mutability: d.readOnly ? 'readOnly' : 'readWrite',
    returned: d.name === 'password' ? 'never' : 'default',
    uniqueness: d.name === 'userName' || d.name === 'id' ? 'server' : 'none',
    ...(d.sub ? { subAttributes: Object.values(d.sub).map((s) => ({ name: s, type: s === 'primary' ? 'boolean' : 'string', multiValued: false, required: false })) } : {}),
  }));
}

const SCHEMA_LIST: Json[] = [
  { id: SCHEMAS.user, name: 'User', description: 'User Account', attributes: attributes(USER_ATTRS) },
  { id: SCHEMAS.enterpriseUser, name: 'EnterpriseUser', description: 'Enterprise User (accepted, not stored)', attributes: attributes(ENTERPRISE_USER_ATTRS) },
  { id: SCHEMAS.group, name: 'Group', description: 'Group', attributes: attributes(GROUP_ATTRS) },
];

/** SCIM discovery (RFC 7644 §4): what this service provider supports. */
@ApiExcludeController()
@Controller('scim/v2')
@UseGuards(ScimAuthGuard)
@UseFilters(ScimExceptionFilter)
export class ScimDiscoveryController {
  @Get('ServiceProviderConfig')
  @Header('Content-Type', SCIM_CONTENT_TYPE)
  serviceProviderConfig(@Req() req: Request): Json {
    return {
      schemas: [SCHEMAS.serviceProviderConfig],
      documentationUri: 'https://github.com/latchkey/latchkey/blob/main/docs/scim.md',
      patch: { supported: true },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
      filter: { supported: true, maxResults: 1000 },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: false },
      authenticationSchemes: [
        { type: 'oauthbearertoken', name: 'Bearer token', description: 'LATCHKEY_SCIM_TOKEN as an Authorization: Bearer token', primary: true },
      ],
      meta: { resourceType: 'ServiceProviderConfig', location: `${scimBaseUrl(req)}/ServiceProviderConfig` },
    };
  }

  @Get('ResourceTypes')
  @Header('Content-Type', SCIM_CONTENT_TYPE)
  resourceTypes(@Req() req: Request): Json {
    const types = this.types(req);
    return { schemas: [SCHEMAS.listResponse], totalResults: types.length, startIndex: 1, itemsPerPage: types.length, Resources: types };
  }

  @Get('ResourceTypes/:name')
  @Header('Content-Type', SCIM_CONTENT_TYPE)
  resourceType(@Param('name') name: string, @Req() req: Request): Json {
    const found = this.types(req).find((t) => t.id === name);
    if (!found) throw new ScimError(404, undefined, `no resource type ${name}`);
    return found;
  }

  @Get('Schemas')
  @Header('Content-Type', SCIM_CONTENT_TYPE)
  schemas(@Req() req: Request): Json {
    const list = SCHEMA_LIST.map((s) => this.schema(s, req));
    return { schemas: [SCHEMAS.listResponse], totalResults: list.length, startIndex: 1, itemsPerPage: list.length, Resources: list };
  }

  @Get('Schemas/:id')
  @Header('Content-Type', SCIM_CONTENT_TYPE)
  schemaById(@Param('id') id: string, @Req() req: Request): Json {
    const found = SCHEMA_LIST.find((s) => s.id === id);
    if (!found) throw new ScimError(404, undefined, `no schema ${id}`);
    return this.schema(found, req);
  }

  private schema(s: Json, req: Request): Json {
    return { schemas: [SCHEMAS.schema], ...s, meta: { resourceType: 'Schema', location: `${scimBaseUrl(req)}/Schemas/${s.id as string}` } };
  }

  private types(req: Request): Json[] {
    const base = scimBaseUrl(req);
    return [
      {
        schemas: [SCHEMAS.resourceType],
        id: 'User',
        name: 'User',
        endpoint: '/Users',
        schema: SCHEMAS.user,
        schemaExtensions: [{ schema: SCHEMAS.enterpriseUser, required: false }],
        meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/User` },
      },
      {
        schemas: [SCHEMAS.resourceType],
        id: 'Group',
        name: 'Group',
        endpoint: '/Groups',
        schema: SCHEMAS.group,
        meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/Group` },
      },
    ];
  }
}
