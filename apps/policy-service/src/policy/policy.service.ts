import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { Actor, PolicyDiffEntry, PolicyDocument, PolicyWarning, Scopes } from '@latchkey/contracts';
import { StreamVersionConflictError } from '@latchkey/event-store';
import { CreationDecision, diffPolicy, evaluateCreation, evaluateRequest, parsePolicyRules, policyWarnings, RequestDecision, userFacts } from '@latchkey/policy-engine';
import { DirectoryRepository } from '../directory/directory.repository';
import { PolicyError, PolicyErrorCodes } from './domain/policy.errors';
import { PolicyRepository } from './policy.repository';

export interface PolicyChangeResult extends PolicyDocument {
  warnings: PolicyWarning[];
  diff: PolicyDiffEntry[];
}

const putBody = z.object({ version: z.number().int().min(0).optional(), rules: z.unknown() }).strict();

const evaluateBody = z
  .object({
    creation: z
      .object({
        actor: z.string().min(1).max(256),
        actorGroups: z.array(z.string().max(256)).max(1000).optional(),
        actorIsAdmin: z.boolean().optional(),
        ownerId: z.string().min(1).max(256).nullable().optional(),
        scopes: z.array(z.enum(Scopes)).min(1).max(3),
        lifetimeDays: z.number().positive().max(36500).nullable().default(null),
        ownerActiveTokens: z.number().int().min(0).optional(),
      })
      .strict()
      .optional(),
    request: z
      .object({
        userId: z.string().min(1).max(256),
        ip: z.string().min(1).max(64),
        method: z.string().min(1).max(16),
        path: z.string().min(1).max(8192),
        credential: z.enum(['token', 'password']),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((b) => (b.creation ? 1 : 0) + (b.request ? 1 : 0) === 1, 'give exactly one of "creation" or "request"');

export type EvaluateBody = z.infer<typeof evaluateBody>;

const issues = (e: z.ZodError) => e.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');

@Injectable()
export class PolicyService {
  constructor(
    private readonly policies: PolicyRepository,
    private readonly directory: DirectoryRepository,
  ) {}

  /** the current document; the defaults at version 0 until one is stored */
  current(): Promise<PolicyDocument> {
    return this.policies.current();
  }

  /**
   * Replaces the whole document if `ifMatch` names the current version. Two admins racing with the same
   * version: the event store's per-stream version check lets exactly one append; the other gets 412.
   */
  async replace(ifMatch: number | '*' | null, body: unknown, actor: Actor): Promise<PolicyChangeResult> {
    if (ifMatch === null) throw new PolicyError(PolicyErrorCodes.preconditionRequired, 'PUT /v1/policy needs If-Match: the ETag of the document you changed (or *)');
    const parsedBody = putBody.safeParse(body);
    if (!parsedBody.success) throw new PolicyError(PolicyErrorCodes.invalidPolicy, `invalid policy document: ${issues(parsedBody.error)}`);
    const parsed = parsePolicyRules(parsedBody.data.rules);
    if (!parsed.ok) throw new PolicyError(PolicyErrorCodes.invalidPolicy, `invalid policy document: ${parsed.errors.join('; ')}`);
    const current = await this.policies.current();
    const expected = ifMatch === '*' ? current.version : ifMatch;
    const stale = () => new PolicyError(PolicyErrorCodes.preconditionFailed, `the policy is at version ${current.version}, not ${expected}: reload and apply your change again`);
    if (expected !== current.version) throw stale();
    if (parsedBody.data.version !== undefined && parsedBody.data.version !== current.version) throw stale();
    const warnings = policyWarnings(parsed.rules, await this.directory.view());
    const diff = diffPolicy(current.rules, parsed.rules);
    if (diff.length === 0) return { ...current, warnings, diff };
    try {
      const doc = await this.policies.change(expected, { rules: parsed.rules, diff, warnings }, actor);
      return { ...doc, warnings, diff };
    } catch (err) {
      if (err instanceof StreamVersionConflictError) {
        throw new PolicyError(PolicyErrorCodes.preconditionFailed, `another change to the policy won (version ${expected} is no longer current): reload and apply your change again`);
      }
      throw err;
    }
  }

  /** "may X create this token?" or "may this request pass?", answered with the current policy and directory */
  async evaluate(body: unknown): Promise<{ policyVersion: number; decision: CreationDecision | RequestDecision }> {
    const parsed = evaluateBody.safeParse(body);
    if (!parsed.success) throw new PolicyError(PolicyErrorCodes.invalidRequest, issues(parsed.error));
    const [policy, directory] = await Promise.all([this.policies.current(), this.directory.view()]);
    const { creation, request } = parsed.data;
    const decision = creation
      ? evaluateCreation(policy, directory, creation)
      : evaluateRequest(policy, { ...userFacts(directory, request!.userId), ip: request!.ip, method: request!.method, path: request!.path, credential: request!.credential });
    return { policyVersion: policy.version, decision };
  }
}
