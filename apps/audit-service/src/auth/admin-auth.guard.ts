import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { CommonErrorCodes, DomainError } from '@latchkey/contracts';
import { ADMIN_AUTHENTICATOR, AdminAuthenticator } from './admin-authenticator.port';

/** Admin endpoints: 401 without proof of an administrator. */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  constructor(@Inject(ADMIN_AUTHENTICATOR) private readonly authenticator: AdminAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    const principal = await this.authenticator.authenticate(req.headers);
    if (!principal) throw new DomainError(CommonErrorCodes.unauthenticated, 'an administrator\'s bearer credential is required');
    return true;
  }
}
