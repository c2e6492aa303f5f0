import { Injectable, OnModuleInit } from '@nestjs/common';
import { ReadinessRegistry } from '@latchkey/service-kit';
import { PolicyRepository } from '../policy/policy.repository';

/** /health/ready: the policy database answers. */
@Injectable()
export class DatabaseReadiness implements OnModuleInit {
  constructor(
    private readonly readiness: ReadinessRegistry,
    private readonly policies: PolicyRepository,
  ) {}

  onModuleInit(): void {
    this.readiness.register({
      name: 'postgres',
      check: async () => {
        await this.policies.ping();
        return { ok: true };
      },
    });
  }
}
