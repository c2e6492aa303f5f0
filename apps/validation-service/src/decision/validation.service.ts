import type { DecisionChannel, TokenLookupResult, ValidateRequest, ValidateResponse } from '@latchkey/contracts';
import { hashToken } from '@latchkey/token-format';
import { TokenLookupService } from '../cache/token-lookup.service';
import type { ValidationServiceConfig } from '../config/validation-service.config';
import { ValidationMetrics } from '../metrics/validation.metrics';
import type { DecisionContext } from '../telemetry/telemetry.service';
import { AccessView, ALLOW_ALL, Decision, decide, readCredentials } from './domain';

export const CLOCK = Symbol('CLOCK');
export type Clock = () => number;

/** Where the directory and policy view comes from (issue 5 provides it; until then: allow). */
export const ACCESS_VIEW = Symbol('ACCESS_VIEW');

/** A stale replica in deny mode refuses to vouch for a token (the adapters answer 503). */
export class StaleReplicaError extends Error {
  constructor() {
    super('this validation replica cannot prove it is current (no heartbeat within LATCHKEY_MAX_STALENESS_MS)');
    this.name = 'StaleReplicaError';
  }
}

/** Whether this replica can prove it is current (StalenessService). */
export interface Freshness {
  readonly stale: boolean;
}

/** Where decisions go after the answer (TelemetryService): synchronous, never waits on I/O. */
export interface DecisionRecorder {
  record(decision: Decision, context: DecisionContext): void;
}

export const NOT_RECORDED: DecisionRecorder = { record: () => undefined };
export const ALWAYS_FRESH: Freshness = { stale: false };

/**
 * One validation: read the credentials (no I/O; malformed stops here), look the token up by its HMAC (from the
 * source of truth while stale in verify mode), decide, record telemetry. Throws SourceUnavailableError when the
 * source is needed and cannot answer, StaleReplicaError when stale in deny mode and the answer would be VALID.
 */
export class ValidationService {
  private readonly pepper: string;
  private readonly prefix: string;
  private readonly verifyWhenStale: boolean;

  constructor(
    config: ValidationServiceConfig,
    private readonly lookups: TokenLookupService,
    private readonly metrics: ValidationMetrics,
    private readonly clock: Clock,
    private readonly staleness: Freshness = ALWAYS_FRESH,
    private readonly telemetry: DecisionRecorder = NOT_RECORDED,
    private readonly view: AccessView = ALLOW_ALL,
  ) {
    this.pepper = config.LATCHKEY_PEPPER;
    this.prefix = config.LATCHKEY_TOKEN_PREFIX;
    this.verifyWhenStale = config.LATCHKEY_STALE_MODE === 'verify';
  }

  async validate(request: ValidateRequest, channel: DecisionChannel = 'json'): Promise<ValidateResponse> {
    return (await this.validateWithState(request, channel)).response;
  }

  /** validate, plus when the token was created (RFC 7662 `iat`); createdAt is null when no token was identified */
  async validateWithState(request: ValidateRequest, channel: DecisionChannel = 'json'): Promise<{ response: ValidateResponse; createdAt: string | null }> {
    const credentials = readCredentials(request, this.prefix);
    const stale = this.staleness.stale;
    let lookup: TokenLookupResult | null = null;
    if (credentials.kind === 'token') {
      const hmac = hashToken(this.pepper, credentials.token);
      if (stale) this.metrics.staleAnswers.inc({ mode: this.verifyWhenStale ? 'verify' : 'deny' });
      lookup = stale && this.verifyWhenStale ? await this.lookups.lookupFresh(hmac) : await this.lookups.lookup(hmac);
    }
    const decision = decide({ credentials, method: request.method, ip: request.ip, path: request.path }, lookup, new Date(this.clock()), this.view);
    if (stale && !this.verifyWhenStale && decision.code === 'VALID') throw new StaleReplicaError();
    this.metrics.decisions.inc({ code: decision.code });
    this.telemetry.record(decision, { method: request.method, path: request.path, ip: request.ip, userAgent: request.userAgent ?? null, channel });
    const response: ValidateResponse = { valid: decision.code === 'VALID', ...decision };
    return { response, createdAt: decision.tokenId !== null && lookup ? lookup.token.createdAt : null };
  }
}
