import { Injectable } from '@nestjs/common';
import { EMPTY_POLICY, EventEnvelope, PolicyDocument } from '@latchkey/contracts';
import { DirectoryView, evolvePolicy } from '@latchkey/policy-engine';

/**
 * This replica's copy of the policy document and the directory, fed from latchkey.policy.v1 and
 * latchkey.directory.v1: token creation is decided locally, without a call to policy-service.
 */
@Injectable()
export class PolicyView {
  private current: PolicyDocument = EMPTY_POLICY;
  readonly directory = new DirectoryView();

  get policy(): PolicyDocument {
    return this.current;
  }

  applyPolicyEvent(event: EventEnvelope): void {
    this.current = evolvePolicy(this.current, event);
  }

  applyDirectoryEvent(event: EventEnvelope): boolean {
    return this.directory.apply(event);
  }

  /** user names (and ids) of a group's members: what tokens' ownerId may hold */
  memberRefs(groupRef: string): string[] {
    const group = this.directory.group(groupRef);
    if (!group) return [];
    return group.members.flatMap((m) => {
      const user = this.directory.user(m.value);
      return user ? [user.userName, user.id] : [m.value];
    });
  }

  /** false when the directory knows the owner and says it is deactivated */
  ownerActive(ownerRef: string): boolean {
    const user = this.directory.user(ownerRef);
    return !user || (user.active && !user.deleted);
  }
}
