import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, ProblemDetails } from '@latchkey/contracts';

export type StatusByCode = Readonly<Record<string, number>>;

const COMMON_STATUS: StatusByCode = {
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  DEPENDENCY_UNAVAILABLE: 503,
  STREAM_VERSION_CONFLICT: 409,
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problem(status: number, detail?: string, extra: Partial<ProblemDetails> = {}): ProblemDetails {
  return { type: 'about:blank', title: TITLES[status] ?? 'Error', status, ...(detail ? { detail } : {}), ...extra };
}

export function sendProblem(res: Response, body: ProblemDetails): void {
  res.status(body.status).type('application/problem+json').send(JSON.stringify(body));
}

/**
 * Every error answer is an RFC 9457 problem. Domain codes map to statuses here, once per service;
 * anything unexpected is a 500 whose detail says nothing about internals.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');
  private readonly statusByCode: StatusByCode;

  constructor(statusByCode: StatusByCode = {}) {
    this.statusByCode = { ...COMMON_STATUS, ...statusByCode };
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    sendProblem(res, this.toProblem(exception));
  }

  toProblem(exception: unknown): ProblemDetails {
    if (exception instanceof DomainError) {
      const status = this.statusByCode[exception.code] ?? 400;
      // details become RFC 9457 extension members (e.g. the policy rule that decided)
      return problem(status, exception.message, { ...(exception.details ?? {}), code: exception.code });
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      if (typeof body === 'object' && body !== null) {
        const b = body as { message?: unknown; code?: unknown };
        const messages = Array.isArray(b.message) ? b.message.map(String) : undefined;
        const detail = messages ? messages.join('; ') : typeof b.message === 'string' ? b.message : exception.message;
        return problem(status, detail, {
          ...(messages ? { errors: messages } : {}),
          ...(typeof b.code === 'string' ? { code: b.code } : {}),
        });
      }
      return problem(status, String(body));
    }
    const err = exception as { status?: unknown; statusCode?: unknown; type?: unknown; message?: unknown; code?: unknown };
    // body-parser and similar middleware errors carry their own 4xx status
    const status = typeof err?.status === 'number' ? err.status : typeof err?.statusCode === 'number' ? err.statusCode : 500;
    if (status >= 400 && status < 500) {
      return problem(status, bodyParserMessage(err.type, typeof err.message === 'string' ? err.message : undefined));
    }
    if (typeof err?.code === 'string' && /^(ECONNREFUSED|ETIMEDOUT|57P01|08006|08001)$/.test(err.code)) {
      this.logger.warn(`dependency unavailable: ${err.code}`);
      return problem(HttpStatus.SERVICE_UNAVAILABLE, 'a dependency is unavailable; retry later');
    }
    this.logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
    return problem(HttpStatus.INTERNAL_SERVER_ERROR, 'unexpected error');
  }
}

function bodyParserMessage(type: unknown, message?: string): string {
  switch (type) {
    case 'entity.parse.failed':
      return 'request body is not valid JSON';
    case 'entity.too.large':
      return 'request body is larger than 64 KiB';
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return 'unsupported body encoding';
    default:
      return message ?? 'bad request';
  }
}
