import { Body, Controller, Delete, Get, Header, HttpCode, Param, Patch, Post, Put, Query, Req, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { Actor, DirectoryGroupState } from '@latchkey/contracts';
import { DirectoryService } from '../directory/directory.service';
import { equalityOn, FilterAttributes, matchesFilter, parseFilter } from './domain/scim-filter';
import { userInputFromScim, userToScim } from './domain/scim-mappers';
import { applyPatch } from './domain/scim-patch';
import { canonicalResource, Json } from './domain/scim-resource';
import { USER_SCHEMA } from './domain/scim-schema';
import { ScimAuthGuard } from './scim-auth.guard';
import { SCIM_CONTENT_TYPE, ScimExceptionFilter } from './scim-exception.filter';
import { listParams, listResponse, project } from './scim-list';

export const SCIM_ACTOR: Actor = { userId: 'scim', via: 'scim' };

export const USER_FILTER_ATTRIBUTES: FilterAttributes = {
  id: { path: 'id', caseExact: true },
  username: { path: 'userName', caseExact: false },
  displayname: { path: 'displayName', caseExact: false },
  externalid: { path: 'externalId', caseExact: true },
  active: { path: 'active', caseExact: false },
  emails: { path: 'emails', caseExact: false },
  'emails.value': { path: 'emails.value', caseExact: false },
  'name.givenname': { path: 'name.givenName', caseExact: false },
  'name.familyname': { path: 'name.familyName', caseExact: false },
  'meta.created': { path: 'meta.created', caseExact: false },
  'meta.lastmodified': { path: 'meta.lastModified', caseExact: false },
};

export function scimBaseUrl(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}/scim/v2`;
}

function groupsByMember(groups: DirectoryGroupState[]): Map<string, DirectoryGroupState[]> {
  const out = new Map<string, DirectoryGroupState[]>();
  for (const g of groups) for (const m of g.members) out.set(m.value, [...(out.get(m.value) ?? []), g]);
  return out;
}

/** SCIM 2.0 Users (RFC 7644): persons provisioned by the IdP. Service accounts are not visible here. */
@ApiExcludeController()
@ApiBearerAuth()
@Controller('scim/v2/Users')
@UseGuards(ScimAuthGuard)
@UseFilters(ScimExceptionFilter)
export class ScimUsersController {
  constructor(private readonly directory: DirectoryService) {}

  @Get()
  @Header('Content-Type', SCIM_CONTENT_TYPE)
  async list(@Query() query: Record<string, unknown>, @Req() req: Request): Promise<Json> {
    const params = listParams(query);
    const filter = params.filter !== undefined ? parseFilter(params.filter, USER_FILTER_ATTRIBUTES) : null;
    const byName = filter ? equalityOn(filter, 'userName') : null;
    const users = byName !== null ? [await this.directory.liveUserByName(byName)].filter((u) => u?.kind === 'person') : await this.directory.users('person');
    const memberships = groupsByMember(await this.directory.groups());
    const base = scimBaseUrl(req);
    const resources = users.map((u) => userToScim(u!, base, memberships.get(u!.id)));
    return listResponse(filter ? resources.filter((r) => matchesFilter(r, filter, USER_FILTER_ATTRIBUTES)) : resources, params);
  }

  @Get(':id')
  @Header('Content-Type', SCIM_CONTENT_TYPE)
  async get(@Param('id') id: string, @Query() query: Record<string, unknown>, @Req() req: Request): Promise<Json> {
    const user = await this.directory.scimUser(id);
    return project(await this.render(user.id, req), listParams(query));
  }

  @Post()
  @HttpCode(201)
  @Header('Content-Type', SCIM_CONTENT_TYPE)
  async create(@Body() body: unknown, @Req() req: Request): Promise<Json> {
    const input = userInputFromScim(canonicalResource(body, USER_SCHEMA), true);
    const user = await this.directory.createUser(input, 'person', 'scim', SCIM_ACTOR);
    req.res?.setHeader('Location', `${scimBaseUrl(req)}/Users/${user.id}`);
    return userToScim(user, scimBaseUrl(req));
  }

  @Put(':id')
  @Header('Content-Type', SCIM_CONTENT_TYPE)
  async replace(@Param('id') id: string, @Body() body: unknown, @Req() req: Request): Promise<Json> {
    await this.directory.scimUser(id);
    const resource = canonicalResource(body, USER_SCHEMA);
    // a PUT without `active` keeps the current value rather than reactivating or deactivating by omission
    await this.directory.updateUser(id, 'person', (current) => userInputFromScim(resource, current.active), 'scim', SCIM_ACTOR);
    return this.render(id, req);
  }

  @Patch(':id')
  @Header('Content-Type', SCIM_CONTENT_TYPE)
  async patch(@Param('id') id: string, @Body() body: unknown, @Req() req: Request): Promise<Json> {
    await this.directory.scimUser(id);
    await this.directory.updateUser(
      id,
      'person',
      (current) => {
        const patched = applyPatch(userToScim(current, scimBaseUrl(req)), body, USER_SCHEMA);
        return userInputFromScim(canonicalResource(patched, USER_SCHEMA), current.active);
      },
      'scim',
      SCIM_ACTOR,
    );
    return this.render(id, req);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string): Promise<void> {
    await this.directory.scimUser(id);
    await this.directory.deleteUser(id, 'person', 'scim', SCIM_ACTOR);
  }

  private async render(id: string, req: Request): Promise<Json> {
    const user = await this.directory.scimUser(id);
    const groups = (await this.directory.groups()).filter((g) => g.members.some((m) => m.value === id));
    return userToScim(user, scimBaseUrl(req), groups);
  }
}
