import { CanActivate, createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import { CommonErrorCodes, DomainError } from '@latchkey/contracts';
import { AuthGuard } from '@nestjs/passport';
import { Principal } from './principal';

/** Management endpoints: an OIDC access token or a Latchkey token (the first strategy that accepts wins). */
@Injectable()
export class ManagementAuthGuard extends AuthGuard(['oidc', 'latchkey-token']) {}

/** After ManagementAuthGuard: only administrators pass (403 otherwise). */
@Injectable()
export class AdminGuard implements CanActivate {
  canActivate(ctx: ExecutionContext): boolean {
    const principal = ctx.switchToHttp().getRequest<{ user?: Principal }>().user;
    if (!principal?.isAdmin) throw new DomainError(CommonErrorCodes.forbidden, 'administrators only');
    return true;
  }
}

/** The authenticated caller, set by ManagementAuthGuard. */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest<{ user: Principal }>().user;
});
