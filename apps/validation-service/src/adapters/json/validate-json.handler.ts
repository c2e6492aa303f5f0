import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ProblemDetails, ValidateResponse } from '@latchkey/contracts';
import { problem } from '@latchkey/service-kit';
import { SourceUnavailableError } from '../../cache/token-read-model.port';
import { VALIDATION_CONFIG, ValidationServiceConfig } from '../../config/validation-service.config';
import { StaleReplicaError, ValidationService } from '../../decision/validation.service';
import { ClientAuthenticator } from '../client-auth';
import { parseValidateRequest } from './validate-request.parser';

export interface HttpAnswer {
  status: number;
  body: ValidateResponse | ProblemDetails;
  headers?: Record<string, string>;
}

const ok = (body: ValidateResponse): HttpAnswer => ({ status: 200, body });

export const VALIDATE_CLIENT_REALM = 'Basic realm="latchkey-validation", charset="UTF-8"';

/**
 * POST /v1/validate, independent of the HTTP server: client authentication, body checks, validation,
 * answer. Served by the node:http fast path and, as a fallback, by the Nest controller.
 */
@Injectable()
export class ValidateJsonHandler {
  private readonly logger = new Logger(ValidateJsonHandler.name);
  private readonly clients: ClientAuthenticator;

  constructor(
    @Inject(VALIDATION_CONFIG) config: ValidationServiceConfig,
    private readonly validation: ValidationService,
  ) {
    this.clients = new ClientAuthenticator(config.LATCHKEY_CLIENTS);
  }

  /** false when the caller is not a registered client (checked before the body is read) */
  authenticate(authorization: string | undefined): boolean {
    return this.clients.authenticate(authorization) !== null;
  }

  unauthenticated(): HttpAnswer {
    return {
      status: 401,
      body: problem(401, 'authenticate as a registered client with HTTP Basic clientId:clientSecret'),
      headers: { 'www-authenticate': VALIDATE_CLIENT_REALM },
    };
  }

  async handle(body: unknown): Promise<HttpAnswer> {
    return this.handleNow(body);
  }

  /**
   * The answer itself when no I/O was needed (a cache hit: no Promise, no microtask), a Promise of it when the token
   * had to be looked up in Redis or token-service. Never throws and never rejects.
   */
  handleNow(body: unknown): HttpAnswer | Promise<HttpAnswer> {
    const parsed = parseValidateRequest(body);
    if (!parsed.ok) return { status: 400, body: problem(400, parsed.errors.join('; '), { errors: parsed.errors }) };
    let decided: ValidateResponse | Promise<ValidateResponse>;
    try {
      decided = this.validation.validateNow(parsed.value);
    } catch (err) {
      return this.failed(err);
    }
    if (decided instanceof Promise) return decided.then(ok, (err: unknown) => this.failed(err));
    return { status: 200, body: decided };
  }

  private failed(err: unknown): HttpAnswer {
    if (err instanceof SourceUnavailableError) {
      this.logger.warn(`validation unanswerable: ${err.message}`);
      return { status: 503, body: problem(503, 'the token is not cached and the source of truth is unavailable; retry later'), headers: { 'retry-after': '1' } };
    }
    if (err instanceof StaleReplicaError) {
      return { status: 503, body: problem(503, err.message), headers: { 'retry-after': '1' } };
    }
    this.logger.error(`validation failed: ${err instanceof Error ? err.message : String(err)}`);
    return { status: 500, body: problem(500, 'unexpected error') };
  }
}
