import { createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { Principal } from './principal';

/** Management endpoints: a Latchkey token now; OIDC bearer tokens join in the token-lifecycle issue. */
@Injectable()
export class ManagementAuthGuard extends AuthGuard(['latchkey-token']) {}

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest<{ user: Principal }>().user;
});
