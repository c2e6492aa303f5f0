import { Injectable } from '@nestjs/common';
import { PolicyDocument } from '@latchkey/contracts';
import { currentPolicy } from './domain/policy.state';
import { PolicyRepository } from './policy.repository';

@Injectable()
export class PolicyService {
  constructor(private readonly policies: PolicyRepository) {}

  /** the current document; EMPTY_POLICY (version 0) until one is stored */
  async current(): Promise<PolicyDocument> {
    return currentPolicy(await this.policies.history());
  }
}
