/** The policy document (DESIGN.md §6). Issue "policy and directory" fills the rules; empty means defaults. */
export interface PolicyDocument {
  version: number;
  rules: Record<string, unknown>;
}
export const EMPTY_POLICY: PolicyDocument = { version: 0, rules: {} };
