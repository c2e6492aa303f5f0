import { Body, Controller, Delete, Get, Header, HttpCode, Param, Patch, Post, Put, Query, Req, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { DirectoryService } from '../directory/directory.service';
import { FilterAttributes, matchesFilter, parseFilter } from './domain/scim-filter';
import { groupInputFromScim, groupToScim } from './domain/scim-mappers';
import { applyPatch } from './domain/scim-patch';
import { canonicalResource, Json } from './domain/scim-resource';
import { GROUP_SCHEMA } from './domain/scim-schema';
import { ScimAuthGuard } from './scim-auth.guard';
import { SCIM_CONTENT_TYPE, ScimExceptionFilter } from './scim-exception.filter';
import { listParams, listResponse, project } from './scim-list';
import { SCIM_ACTOR, scimBaseUrl } from './scim-users.controller';

export const GROUP_FILTER_ATTRIBUTES: FilterAttributes = {
  id: { path: 'id', caseExact: true },
  displayname: { path: 'displayName', caseExact: false },
  externalid: { path: 'externalId', caseExact: true },
  members: { path: 'members', caseExact: true },
  'members.value': { path: 'members.value', caseExact: true },
  'meta.created': { path: 'meta.created', caseExact: false },
  'meta.lastmodified': { path: 'meta.lastModified', caseExact: false },
};

/** SCIM 2.0 Groups: members are users (by id); unknown members reject the whole request. */
@ApiExcludeController()
@ApiBearerAuth()
@Controller('scim/v2/Groups')
@UseGuards(ScimAuthGuard)
@UseFilters(ScimExceptionFilter)
export class ScimGroupsController {
  constructor(private readonly directory: DirectoryService) {}

  @Get()
  @Header('Content-Type', SCIM_CONTENT_TYPE)
  async list(@Query() query: Record<string, unknown>, @Req() req: Request): Promise<Json> {
    const params = listParams(query);
    const filter = params.filter !== undefined ? parseFilter(params.filter, GROUP_FILTER_ATTRIBUTES) : null;
    const base = scimBaseUrl(req);
    const resources = (await this.directory.groups()).map((g) => groupToScim(g, base));
    return listResponse(filter ? resources.filter((r) => matchesFilter(r, filter, GROUP_FILTER_ATTRIBUTES)) : resources, params);
  }

  @Get(':id')
  @Header('Content-Type', SCIM_CONTENT_TYPE)
  async get(@Param('id') id: string, @Query() query: Record<string, unknown>, @Req() req: Request): Promise<Json> {
    return project(groupToScim(await this.directory.group(id), scimBaseUrl(req)), listParams(query));
  }

  @Post()
  @HttpCode(201)
  @Header('Content-Type', SCIM_CONTENT_TYPE)
  async create(@Body() body: unknown, @Req() req: Request): Promise<Json> {
    const group = await this.directory.createGroup(groupInputFromScim(canonicalResource(body, GROUP_SCHEMA)), 'scim', SCIM_ACTOR);
    req.res?.setHeader('Location', `${scimBaseUrl(req)}/Groups/${group.id}`);
    return groupToScim(group, scimBaseUrl(req));
  }

  @Put(':id')
  @Header('Content-Type', SCIM_CONTENT_TYPE)
  async replace(@Param('id') id: string, @Body() body: unknown, @Req() req: Request): Promise<Json> {
    const input = groupInputFromScim(canonicalResource(body, GROUP_SCHEMA));
    return groupToScim(await this.directory.updateGroup(id, () => input, 'scim', SCIM_ACTOR), scimBaseUrl(req));
  }

  @Patch(':id')
  @Header('Content-Type', SCIM_CONTENT_TYPE)
  async patch(@Param('id') id: string, @Body() body: unknown, @Req() req: Request): Promise<Json> {
    const base = scimBaseUrl(req);
    const group = await this.directory.updateGroup(
      id,
      (current) => groupInputFromScim(canonicalResource(applyPatch(groupToScim(current, base), body, GROUP_SCHEMA), GROUP_SCHEMA)),
      'scim',
      SCIM_ACTOR,
    );
    return groupToScim(group, base);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string): Promise<void> {
    await this.directory.deleteGroup(id, 'scim', SCIM_ACTOR);
  }
}
