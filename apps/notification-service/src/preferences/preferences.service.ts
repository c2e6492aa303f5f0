import { Injectable } from '@nestjs/common';
import { CommonErrorCodes, DomainError, NoticeKinds, NotificationChannels } from '@latchkey/contracts';
import { canWrite, Principal } from '@latchkey/auth';
import { isEnabled, MandatoryNotice, Preference } from './domain/channel-selection';
import { PreferencesRepository } from './preferences.repository';

export interface EffectivePreference extends Preference {
  mandatory: boolean;
}

/** A user's notification preferences (kind x channel) and the administrators' mandatory notices. */
@Injectable()
export class PreferencesService {
  constructor(private readonly repository: PreferencesRepository) {}

  /** every kind x channel with what applies to this user */
  async effective(principal: Principal): Promise<EffectivePreference[]> {
    const prefs = (await this.repository.forUsers([principal.userId])).get(principal.userId) ?? [];
    const mandatory = await this.repository.mandatory();
    return NoticeKinds.filter((k) => k !== 'admin-digest').flatMap((kind) =>
      NotificationChannels.map((channel) => ({
        kind,
        channel,
        enabled: isEnabled(kind, channel, prefs, []),
        mandatory: mandatory.some((m) => m.kind === kind && m.channel === channel),
      })),
    );
  }

  async replace(principal: Principal, prefs: Preference[]): Promise<EffectivePreference[]> {
    if (!canWrite(principal)) throw new DomainError(CommonErrorCodes.forbidden, 'a read-only credential cannot change preferences');
    const unique = new Map(prefs.map((p) => [`${p.kind}:${p.channel}`, p]));
    await this.repository.replaceForUser(principal.userId, [...unique.values()]);
    return this.effective(principal);
  }

  policy(): Promise<MandatoryNotice[]> {
    return this.repository.mandatory();
  }

  async replacePolicy(principal: Principal, mandatory: MandatoryNotice[]): Promise<MandatoryNotice[]> {
    if (!canWrite(principal)) throw new DomainError(CommonErrorCodes.forbidden, 'a read-only credential cannot change the policy');
    await this.repository.replaceMandatory(mandatory);
    return this.repository.mandatory();
  }
}
