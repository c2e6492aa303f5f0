import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError } from '@latchkey/contracts';
import { StreamVersionConflictError } from '@latchkey/event-store';
import { DIRECTORY_ERROR_STATUS, DirectoryErrorCodes } from '../directory/domain/directory.errors';
import { SCIM_ERROR_SCHEMA, ScimError, ScimType } from './domain/scim.error';

export const SCIM_CONTENT_TYPE = 'application/scim+json';

const SCIM_TYPE_BY_CODE: Partial<Record<string, ScimType>> = {
  [DirectoryErrorCodes.uniqueness]: 'uniqueness',
  [DirectoryErrorCodes.invalidValue]: 'invalidValue',
  [DirectoryErrorCodes.mutability]: 'mutability',
};

/** Every error on /scim/v2 as a SCIM error body (RFC 7644 §3.12), application/scim+json. */
@Catch()
export class ScimExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Scim');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const { status, scimType, detail } = this.describe(exception);
    res
      .status(status)
      .type(SCIM_CONTENT_TYPE)
      .send(JSON.stringify({ schemas: [SCIM_ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}), detail }));
  }

  private describe(e: unknown): { status: number; scimType?: ScimType; detail: string } {
    if (e instanceof ScimError) return { status: e.status, scimType: e.scimType, detail: e.message };
    if (e instanceof DomainError) {
      const status = (DIRECTORY_ERROR_STATUS as Record<string, number>)[e.code] ?? 400;
      return { status, scimType: SCIM_TYPE_BY_CODE[e.code], detail: e.message };
    }
    if (e instanceof StreamVersionConflictError) return { status: 409, detail: 'the resource changed concurrently; retry' };
    if (e instanceof HttpException) {
      const body = e.getResponse() as { message?: unknown } | string;
      const message = typeof body === 'string' ? body : Array.isArray(body.message) ? body.message.join('; ') : String(body.message ?? e.message);
      return { status: e.getStatus(), ...(e.getStatus() === 400 ? { scimType: 'invalidSyntax' as const } : {}), detail: message };
    }
    const code = (e as { code?: unknown })?.code;
    if (typeof code === 'string' && /^(ECONNREFUSED|ETIMEDOUT|57P01|08006|08001)$/.test(code)) {
      return { status: 503, detail: 'a dependency is unavailable; retry later' };
    }
    this.logger.error(e instanceof Error ? e.stack ?? e.message : String(e));
    return { status: 500, detail: 'unexpected error' };
  }
}
