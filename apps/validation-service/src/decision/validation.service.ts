import type { DecisionChannel, DecisionCode, ValidateRequest, ValidateResponse } from '@latchkey/contracts';
import { TokenLookupService } from '../cache/token-lookup.service';
import type { ValidationServiceConfig } from '../config/validation-service.config';
import { ValidationMetrics } from '../metrics/validation.metrics';
import type { DecisionContext } from '../telemetry/telemetry.service';
import { AccessView, ALLOW_ALL, Decision, decide, isRotatedAwayReuse, LookupFacts, PresentedCredentials, readCredentials } from './domain';
import { NO_REUSE_REPORTS, ReuseReporter } from './reuse.reporter';
import { createTokenHasher, TokenHasher } from './token-hasher';

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

const responseOf = (r: { response: ValidateResponse }): ValidateResponse => r.response;

export const NOT_RECORDED: DecisionRecorder = { record: () => undefined };
export const ALWAYS_FRESH: Freshness = { stale: false };

/**
 * One validation: read the credentials (no I/O; malformed stops here), look the token up by its HMAC (from the
 * source of truth while stale in verify mode), decide, report a rotated-away secret's reuse, record telemetry. Throws SourceUnavailableError when the
 * source is needed and cannot answer, StaleReplicaError when stale in deny mode and the answer would be VALID.
 */
export class ValidationService {
  private readonly hash: TokenHasher;
  private readonly prefix: string;
  private readonly verifyWhenStale: boolean;
  private readonly decisionCounters = new Map<DecisionCode, { inc(): void }>();

  constructor(
    config: ValidationServiceConfig,
    private readonly lookups: TokenLookupService,
    private readonly metrics: ValidationMetrics,
    private readonly clock: Clock,
    private readonly staleness: Freshness = ALWAYS_FRESH,
    private readonly telemetry: DecisionRecorder = NOT_RECORDED,
    private readonly view: AccessView = ALLOW_ALL,
    private readonly reuse: Pick<ReuseReporter, 'report'> = NO_REUSE_REPORTS,
  ) {
    this.hash = createTokenHasher(config.LATCHKEY_PEPPER);
    this.prefix = config.LATCHKEY_TOKEN_PREFIX;
    this.verifyWhenStale = config.LATCHKEY_STALE_MODE === 'verify';
  }

  validate(request: ValidateRequest, channel: DecisionChannel = 'json'): Promise<ValidateResponse> {
    try {
      const answer = this.validateNow(request, channel);
      return answer instanceof Promise ? answer : Promise.resolve(answer);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * The hot path: the response itself when no I/O is needed (a cache hit, a remembered 404, malformed or absent
   * credentials), a Promise only when a lookup must go to Redis or token-service. No microtask on a cache hit.
   * May throw synchronously (the errors `validate` rejects with).
   */
  validateNow(request: ValidateRequest, channel: DecisionChannel = 'json'): ValidateResponse | Promise<ValidateResponse> {
    const credentials = readCredentials(request, this.prefix);
    if (credentials.kind !== 'token') return this.finish(request, credentials, null, null, false, channel);
    const hmac = this.hash(credentials.token);
    const stale = this.staleness.stale;
    if (!stale) {
      // the cache-hit path: no await, no Redis, no Kafka
      const cached = this.lookups.cached(hmac);
      if (cached !== undefined) return this.finish(request, credentials, hmac, cached, false, channel);
    }
    return this.withLookup(request, credentials, hmac, stale, channel).then(responseOf);
  }

  /** validate, plus when the token was created (RFC 7662 `iat`); createdAt is null when no token was identified */
  async validateWithState(request: ValidateRequest, channel: DecisionChannel = 'json'): Promise<{ response: ValidateResponse; createdAt: string | null }> {
    const credentials = readCredentials(request, this.prefix);
    if (credentials.kind !== 'token') return { response: this.finish(request, credentials, null, null, false, channel), createdAt: null };
    return this.withLookup(request, credentials, this.hash(credentials.token), this.staleness.stale, channel);
  }

  private async withLookup(
    request: ValidateRequest,
    credentials: PresentedCredentials,
    hmac: string,
    stale: boolean,
    channel: DecisionChannel,
  ): Promise<{ response: ValidateResponse; createdAt: string | null }> {
    if (stale) this.metrics.staleAnswers.inc({ mode: this.verifyWhenStale ? 'verify' : 'deny' });
    const lookup = stale && this.verifyWhenStale ? await this.lookups.lookupFresh(hmac) : await this.lookups.lookup(hmac);
    const response = this.finish(request, credentials, hmac, lookup, stale, channel);
    return { response, createdAt: response.tokenId !== null && lookup ? lookup.token.createdAt : null };
  }

  private finish(
    request: ValidateRequest,
    credentials: PresentedCredentials,
    hmac: string | null,
    lookup: LookupFacts | null,
    stale: boolean,
    channel: DecisionChannel,
  ): ValidateResponse {
    const now = new Date(this.clock());
    const decision = decide({ credentials, method: request.method, ip: request.ip, path: request.path }, lookup, now, this.view);
    // a rotated-away secret past its grace: token-service revokes the whole token (fire-and-forget, deduplicated)
    if (decision.code === 'REVOKED' && hmac !== null && lookup !== null && isRotatedAwayReuse(lookup, now)) this.reuse.report(hmac);
    if (stale && !this.verifyWhenStale && decision.code === 'VALID') throw new StaleReplicaError();
    this.decisionCounter(decision.code).inc();
    this.telemetry.record(decision, { method: request.method, path: request.path, ip: request.ip, userAgent: request.userAgent ?? null, channel });
    // the same keys in the same order as `{ valid, ...decision }`, without the spread
    return {
      valid: decision.code === 'VALID',
      code: decision.code,
      tokenId: decision.tokenId,
      userId: decision.userId,
      scopes: decision.scopes,
      expiresAt: decision.expiresAt,
    };
  }

  private decisionCounter(code: DecisionCode): { inc(): void } {
    let child = this.decisionCounters.get(code);
    if (!child) {
      child = this.metrics.hot(this.metrics.decisions, { code });
      this.decisionCounters.set(code, child);
    }
    return child;
  }
}
