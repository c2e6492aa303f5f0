import { Inject, Injectable } from '@nestjs/common';
import type { TokenLookupResult, ValidateRequest, ValidateResponse } from '@latchkey/contracts';
import { hashToken } from '@latchkey/token-format';
import { TokenLookupService } from '../cache/token-lookup.service';
import { VALIDATION_CONFIG, ValidationServiceConfig } from '../config/validation-service.config';
import { ValidationMetrics } from '../metrics/validation.metrics';
import { decide, readCredentials } from './domain';

export const CLOCK = Symbol('CLOCK');
export type Clock = () => number;

/**
 * One validation: read the credentials (no I/O; malformed stops here), look the token up by its HMAC,
 * decide. Throws SourceUnavailableError when the token is not cached and the source cannot answer.
 */
@Injectable()
export class ValidationService {
  private readonly pepper: string;
  private readonly prefix: string;

  constructor(
    @Inject(VALIDATION_CONFIG) config: ValidationServiceConfig,
    private readonly lookups: TokenLookupService,
    private readonly metrics: ValidationMetrics,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.pepper = config.LATCHKEY_PEPPER;
    this.prefix = config.LATCHKEY_TOKEN_PREFIX;
  }

  async validate(request: ValidateRequest): Promise<ValidateResponse> {
    const credentials = readCredentials(request, this.prefix);
    let lookup: TokenLookupResult | null = null;
    if (credentials.kind === 'token') lookup = await this.lookups.lookup(hashToken(this.pepper, credentials.token));
    const decision = decide({ credentials, method: request.method, ip: request.ip }, lookup, new Date(this.clock()));
    this.metrics.decisions.inc({ code: decision.code });
    return { valid: decision.code === 'VALID', ...decision };
  }
}
