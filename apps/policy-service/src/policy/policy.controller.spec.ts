import { Test } from '@nestjs/testing';
import type { Response } from 'express';
import { EMPTY_POLICY, EventEnvelope, SYSTEM_ACTOR } from '@latchkey/contracts';
import { PolicyController } from './policy.controller';
import { PolicyRepository } from './policy.repository';
import { PolicyService } from './policy.service';

class FakePolicyRepository {
  events: EventEnvelope[] = [];
  async history(): Promise<EventEnvelope[]> {
    return this.events;
  }
}

function fakeResponse(): { res: Response; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  const res = { setHeader: (name: string, value: string) => (headers[name.toLowerCase()] = value) } as unknown as Response;
  return { res, headers };
}

describe(PolicyController.name, () => {
  let controller: PolicyController;
  let repo: FakePolicyRepository;

  beforeEach(async () => {
    repo = new FakePolicyRepository();
    const module = await Test.createTestingModule({
      controllers: [PolicyController],
      providers: [PolicyService, { provide: PolicyRepository, useValue: repo }],
    }).compile();
    controller = module.get(PolicyController);
  });

  it('answers the empty policy with ETag "0" when nothing is stored', async () => {
    const { res, headers } = fakeResponse();
    await expect(controller.get({}, res)).resolves.toEqual(EMPTY_POLICY);
    expect(headers.etag).toBe('"0"');
  });

  it('answers the stored document with its version as ETag', async () => {
    repo.events = [
      {
        eventId: '00000000-0000-7000-8000-000000000001',
        type: 'PolicyChanged',
        aggregateType: 'policy',
        aggregateId: 'policy',
        version: 1,
        occurredAt: '2025-01-01T00:00:00.000Z',
        actor: SYSTEM_ACTOR,
        data: { rules: { requireExpiry: true } },
      },
    ];
    const { res, headers } = fakeResponse();
    await expect(controller.get({}, res)).resolves.toEqual({ version: 1, rules: { requireExpiry: true } });
    expect(headers.etag).toBe('"1"');
  });
});
