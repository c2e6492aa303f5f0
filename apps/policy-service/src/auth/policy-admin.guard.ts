import { CanActivate, createParamDecorator, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { CommonErrorCodes, DomainError } from '@latchkey/contracts';
import { ADMIN_AUTHENTICATOR, AdminAuthenticator, AdminPrincipal } from './admin-authenticator.port';

/** Management endpoints: 401 without valid credentials, 403 for non-administrators; sets req.user. */
@Injectable()
export class PolicyAdminGuard implements CanActivate {
  constructor(@Inject(ADMIN_AUTHENTICATOR) private readonly authenticator: AdminAuthenticator) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<Request & { user?: AdminPrincipal }>();
    const principal = await this.authenticator.authenticate(req);
    if (!principal) throw new DomainError(CommonErrorCodes.unauthenticated, 'administrator credentials are required');
    if (!principal.isAdmin) throw new DomainError(CommonErrorCodes.forbidden, 'administrators only');
    req.user = principal;
    return true;
  }
}

export const CurrentAdmin = createParamDecorator((_: unknown, ctx: ExecutionContext): AdminPrincipal => {
  return ctx.switchToHttp().getRequest<{ user: AdminPrincipal }>().user;
});
