import { createHash, timingSafeEqual } from 'node:crypto';
import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { POLICY_SERVICE_CONFIG, PolicyServiceConfig } from '../config/policy-service.config';
import { ScimError } from './domain/scim.error';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** /scim/v2: the IdP presents LATCHKEY_SCIM_TOKEN as a bearer token (compared in constant time). */
@Injectable()
export class ScimAuthGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(@Inject(POLICY_SERVICE_CONFIG) config: PolicyServiceConfig) {
    this.expected = digest(config.LATCHKEY_SCIM_TOKEN);
  }

  canActivate(ctx: ExecutionContext): boolean {
    const header = ctx.switchToHttp().getRequest<Request>().headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m || !timingSafeEqual(digest(m[1]), this.expected)) throw new ScimError(401, undefined, 'a valid SCIM bearer token is required');
    return true;
  }
}
