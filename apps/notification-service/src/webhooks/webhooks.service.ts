import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { CommonErrorCodes, DomainError } from '@latchkey/contracts';
import { canWrite, Principal } from '@latchkey/auth';
import { newWebhookSecret } from '../delivery/domain/standard-webhooks';
import { CreateWebhookRequest } from './dto/webhook.dto';
import { StoredEndpoint, WebhookEndpointRepository } from './webhook-endpoint.repository';

/** Webhook endpoints: a user's own (their notices), or an administrator's for every user's notices. */
@Injectable()
export class WebhooksService {
  constructor(private readonly endpoints: WebhookEndpointRepository) {}

  async create(principal: Principal, req: CreateWebhookRequest): Promise<{ endpoint: StoredEndpoint; secret: string }> {
    if (!canWrite(principal)) throw new DomainError(CommonErrorCodes.forbidden, 'a read-only credential cannot register webhooks');
    if (req.allUsers && !principal.isAdmin) throw new DomainError(CommonErrorCodes.forbidden, 'only administrators may receive every user\'s notices');
    if (!req.allUsers && req.kinds?.includes('admin-digest')) {
      throw new DomainError(CommonErrorCodes.invalid, 'the admin digest goes only to an administrator\'s allUsers endpoint');
    }
    const secret = newWebhookSecret();
    const endpoint = await this.endpoints.insert({
      id: uuidv7(),
      ownerId: req.allUsers ? null : principal.userId,
      url: req.url,
      format: req.format ?? 'standard',
      kinds: [...new Set(req.kinds ?? [])],
      active: true,
      secret,
      createdBy: principal.userId,
    });
    return { endpoint, secret };
  }

  /** an administrator sees every endpoint; a user their own */
  list(principal: Principal): Promise<StoredEndpoint[]> {
    return this.endpoints.list(principal.isAdmin ? null : [principal.userId]);
  }

  async remove(principal: Principal, id: string): Promise<void> {
    if (!canWrite(principal)) throw new DomainError(CommonErrorCodes.forbidden, 'a read-only credential cannot remove webhooks');
    const endpoint = await this.endpoints.get(id);
    // someone else's endpoint is "not found" to a non-admin: ids of others are not confirmed
    if (!endpoint || (!principal.isAdmin && endpoint.ownerId !== principal.userId)) throw new DomainError(CommonErrorCodes.notFound, 'no such webhook endpoint');
    await this.endpoints.deactivate(id);
  }
}
