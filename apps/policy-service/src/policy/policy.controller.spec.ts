import { Test } from '@nestjs/testing';
import type { Response } from 'express';
import { DEFAULT_POLICY_RULES, EMPTY_POLICY, PolicyDocument } from '@latchkey/contracts';
import { DirectoryView } from '@latchkey/policy-engine';
import { StreamVersionConflictError } from '@latchkey/event-store';
import { DirectoryRepository } from '../directory/directory.repository';
import { Principal } from '@latchkey/auth';
import { PolicyController } from './policy.controller';
import { PolicyRepository } from './policy.repository';
import { PolicyService } from './policy.service';

class FakePolicyRepository {
  doc: PolicyDocument = EMPTY_POLICY;
  raceOnNextChange = false;
  async current(): Promise<PolicyDocument> {
    return this.doc;
  }
  async change(expected: number, data: { rules: PolicyDocument['rules'] }): Promise<PolicyDocument> {
    if (this.raceOnNextChange || expected !== this.doc.version) throw new StreamVersionConflictError('policy', expected, expected + 1);
    this.doc = { version: expected + 1, rules: data.rules };
    return this.doc;
  }
}

function fakeResponse(): { res: Response; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  const res = { setHeader: (name: string, value: string) => (headers[name.toLowerCase()] = value) } as unknown as Response;
  return { res, headers };
}

const admin: Principal = { userId: 'ada', via: 'latchkey-token', tokenId: 't-1', scopes: ['write', 'admin'], groups: [], isAdmin: true };

describe(PolicyController.name, () => {
  let controller: PolicyController;
  let repo: FakePolicyRepository;

  beforeEach(async () => {
    repo = new FakePolicyRepository();
    const module = await Test.createTestingModule({
      controllers: [PolicyController],
      providers: [
        PolicyService,
        { provide: PolicyRepository, useValue: repo },
        { provide: DirectoryRepository, useValue: { view: async () => new DirectoryView() } },
      ],
    }).compile();
    controller = module.get(PolicyController);
  });

  it('answers the default policy with ETag "0" when nothing is stored', async () => {
    const { res, headers } = fakeResponse();
    await expect(controller.get({}, res)).resolves.toEqual(EMPTY_POLICY);
    expect(headers.etag).toBe('"0"');
  });

  it('replaces the document when If-Match is current, with the diff and warnings', async () => {
    const { res, headers } = fakeResponse();
    const result = await controller.put('"0"', { rules: { deactivation: 'revoked', adminGroup: 'ops' } }, admin, res);
    expect(result).toMatchObject({ version: 1, rules: { ...DEFAULT_POLICY_RULES, deactivation: 'revoked', adminGroup: 'ops' } });
    expect(result.diff.map((d) => d.path)).toEqual(['adminGroup', 'deactivation']);
    expect(result.warnings.map((w) => w.path)).toEqual(['adminGroup']);
    expect(headers.etag).toBe('"1"');
  });

  it.each([
    ['"5"', 'PRECONDITION_FAILED'],
    ['garbage', 'PRECONDITION_FAILED'],
    [undefined, 'PRECONDITION_REQUIRED'],
  ])('refuses If-Match %s with %s', async (ifMatch, code) => {
    await expect(controller.put(ifMatch, { rules: {} }, admin, fakeResponse().res)).rejects.toMatchObject({ code });
  });

  it('turns a lost race into 412', async () => {
    repo.raceOnNextChange = true;
    await expect(controller.put('"0"', { rules: { deactivation: 'revoked' } }, admin, fakeResponse().res)).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
  });

  it('rejects invalid documents and unknown attributes, naming them', async () => {
    await expect(controller.put('"0"', { rules: { ipAllowlist: ['10.0.0.0/8', '10.1.0.0/16'] } }, admin, fakeResponse().res)).rejects.toMatchObject({
      code: 'INVALID_POLICY',
      message: expect.stringContaining('overlaps'),
    });
    await expect(controller.put('"0"', { rules: {}, colour: 'red' }, admin, fakeResponse().res)).rejects.toMatchObject({ code: 'INVALID_POLICY' });
  });

  it('evaluates a creation against the current document', async () => {
    await expect(controller.evaluate({ creation: { actor: 'alice', scopes: ['admin'] } })).resolves.toMatchObject({
      policyVersion: 0,
      decision: { allowed: false, code: 'SCOPE_NOT_ALLOWED', rule: 'selfService[everyone]' },
    });
    await expect(controller.evaluate({ creation: { actor: 'a', scopes: ['read'] }, request: {} })).rejects.toMatchObject({ code: 'INVALID_EVALUATION' });
  });
});
