import { z } from 'zod';
import { DEFAULT_POLICY_RULES, PolicyDiffEntry, PolicyRules, PolicyWarning, Scopes } from '@latchkey/contracts';
import { checkCidrList } from './cidr';
import { checkPathPatterns } from './path-match';
import type { DirectoryView } from './directory-view';

const ref = z.string().trim().min(1).max(256);
const refs = z.array(ref).max(1000);
const scope = z.enum(Scopes);
const ruleName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._:-]{0,99}$/, 'a rule name is 1-100 letters, digits, spaces or ._:- characters');

const selfServiceRule = z
  .object({ name: ruleName, everyone: z.boolean().optional(), users: refs.optional(), groups: refs.optional(), maxScope: scope })
  .strict();

const onBehalfOfRule = z
  .object({
    name: ruleName,
    groups: refs.optional(),
    users: refs.optional(),
    targets: z
      .object({ users: refs.optional(), groups: refs.optional(), serviceAccounts: z.boolean().optional(), everyone: z.boolean().optional() })
      .strict(),
    maxScope: scope,
  })
  .strict();

const d = DEFAULT_POLICY_RULES;

/** Missing top-level sections take their defaults; unknown attributes anywhere are errors. */
const rulesSchema = z
  .object({
    adminGroup: ref.default(d.adminGroup),
    selfService: z.array(selfServiceRule).max(500).default(d.selfService),
    onBehalfOf: z.array(onBehalfOfRule).max(500).default(d.onBehalfOf),
    lifetime: z
      .object({
        maxDays: z.number().int().min(1).max(36500).nullable().default(null),
        expiryRequired: z.boolean().default(false),
      })
      .strict()
      .default(d.lifetime),
    maxTokensPerUser: z.number().int().min(1).max(100000).nullable().default(d.maxTokensPerUser),
    ipAllowlist: z.array(z.string().max(100)).max(1000).default(d.ipAllowlist),
    basicAuth: z
      .object({
        mode: z.enum(['allowed', 'disabled']),
        exceptions: z
          .object({
            paths: z.array(z.string().min(1).max(1000)).max(1000).default([]),
            users: refs.default([]),
            groups: refs.default([]),
          })
          .strict()
          .default({ paths: [], users: [], groups: [] }),
      })
      .strict()
      .default(d.basicAuth),
    deactivation: z.enum(['blocked', 'revoked']).default(d.deactivation),
  })
  .strict();

export type PolicyParseResult = { ok: true; rules: PolicyRules } | { ok: false; errors: string[] };

/**
 * Validates a proposed `rules` object: shape (unknown attributes are errors), unique rule names, valid and
 * non-overlapping CIDRs (stored normalised), path patterns. Returns every error, each naming its path.
 */
export function parsePolicyRules(input: unknown): PolicyParseResult {
  const parsed = rulesSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((i) => `rules${i.path.length ? '.' + i.path.join('.') : ''}: ${i.message}`) };
  }
  const rules = parsed.data as PolicyRules;
  const errors: string[] = [];
  for (const [list, label] of [
    [rules.selfService, 'selfService'],
    [rules.onBehalfOf, 'onBehalfOf'],
  ] as const) {
    const seen = new Set<string>();
    list.forEach((r, i) => {
      if (seen.has(r.name)) errors.push(`rules.${label}.${i}.name: "${r.name}" is used twice`);
      seen.add(r.name);
    });
  }
  rules.selfService.forEach((r, i) => {
    if (!r.everyone && !r.users?.length && !r.groups?.length) errors.push(`rules.selfService.${i}: names no one (set everyone, users or groups)`);
  });
  rules.onBehalfOf.forEach((r, i) => {
    if (!r.users?.length && !r.groups?.length) errors.push(`rules.onBehalfOf.${i}: names no actors (set users or groups)`);
    const t = r.targets;
    if (!t.everyone && !t.serviceAccounts && !t.users?.length && !t.groups?.length) errors.push(`rules.onBehalfOf.${i}.targets: names no targets`);
  });
  const cidrs = checkCidrList(rules.ipAllowlist, 'rules.ipAllowlist');
  errors.push(...cidrs.errors);
  errors.push(...checkPathPatterns(rules.basicAuth.exceptions.paths, 'rules.basicAuth.exceptions.paths'));
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, rules: { ...rules, ipAllowlist: cidrs.normalized } };
}

/** A stored document's rules with defaults filled in; falls back to the defaults if it cannot be read. */
export function normalizeStoredRules(input: unknown): PolicyRules {
  const parsed = rulesSchema.safeParse(input);
  return parsed.success ? (parsed.data as PolicyRules) : DEFAULT_POLICY_RULES;
}

/**
 * What a document references that the directory does not know. Decision (issue 5): rules naming unknown
 * groups or users are accepted with a warning, because the IdP may provision the group after the policy is
 * written; such a rule simply matches nobody until the group exists.
 */
export function policyWarnings(rules: PolicyRules, directory: DirectoryView): PolicyWarning[] {
  const warnings: PolicyWarning[] = [];
  const group = (path: string, g: string) => {
    if (!directory.group(g)) warnings.push({ path, message: `group "${g}" is not in the directory (yet); the rule matches no one through it` });
  };
  const user = (path: string, u: string) => {
    if (!directory.user(u)) warnings.push({ path, message: `user "${u}" is not in the directory (yet)` });
  };
  group('adminGroup', rules.adminGroup);
  rules.selfService.forEach((r, i) => {
    r.groups?.forEach((g, j) => group(`selfService.${i}.groups.${j}`, g));
    r.users?.forEach((u, j) => user(`selfService.${i}.users.${j}`, u));
  });
  rules.onBehalfOf.forEach((r, i) => {
    r.groups?.forEach((g, j) => group(`onBehalfOf.${i}.groups.${j}`, g));
    r.users?.forEach((u, j) => user(`onBehalfOf.${i}.users.${j}`, u));
    r.targets.groups?.forEach((g, j) => group(`onBehalfOf.${i}.targets.groups.${j}`, g));
    r.targets.users?.forEach((u, j) => user(`onBehalfOf.${i}.targets.users.${j}`, u));
  });
  rules.basicAuth.exceptions.groups.forEach((g, j) => group(`basicAuth.exceptions.groups.${j}`, g));
  rules.basicAuth.exceptions.users.forEach((u, j) => user(`basicAuth.exceptions.users.${j}`, u));
  return warnings;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Leaf-wise differences between two documents (arrays compared whole), sorted by path. */
export function diffPolicy(before: PolicyRules, after: PolicyRules): PolicyDiffEntry[] {
  const out: PolicyDiffEntry[] = [];
  const walk = (a: unknown, b: unknown, path: string) => {
    if (isPlainObject(a) && isPlainObject(b)) {
      for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) walk(a[k], b[k], path ? `${path}.${k}` : k);
      return;
    }
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ path, before: a ?? null, after: b ?? null });
  };
  walk(before, after, '');
  return out.sort((x, y) => x.path.localeCompare(y.path));
}
