import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBasicAuth,
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ValidateRequestDto, ValidateResponseDto } from '@latchkey/contracts';
import { ValidateJsonHandler } from './validate-json.handler';

/**
 * The OpenAPI description of POST /v1/validate. In the running service the node:http fast path answers this
 * route before Express; this controller only answers when the app is mounted without the fast path.
 */
@ApiTags('validation')
@ApiBasicAuth('client')
@Controller('v1')
export class ValidateController {
  constructor(private readonly handler: ValidateJsonHandler) {}

  @Post('validate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Is this token good for this method, path and client IP?',
    description:
      'Authenticate as a registered client (LATCHKEY_CLIENTS) with HTTP Basic clientId:clientSecret. Send either `token` ' +
      'or a whole `authorization` header (Bearer, or Basic user:token). Every decision is a 200; `valid` is true only for VALID.',
  })
  @ApiBody({ type: ValidateRequestDto })
  @ApiOkResponse({ type: ValidateResponseDto })
  @ApiBadRequestResponse({ description: 'body is not JSON, misses a field or has a wrong type (problem details)' })
  @ApiUnauthorizedResponse({ description: 'not a registered client (problem details)' })
  @ApiPayloadTooLargeResponse({ description: 'body over 64 KiB' })
  @ApiServiceUnavailableResponse({ description: 'token not cached and token-service unreachable' })
  async validate(
    @Headers('authorization') authorization: string | undefined,
    // typed unknown so the global class-validator pipe leaves it to the hand-written checks
    @Body() body: unknown,
    @Res() res: Response,
  ): Promise<void> {
    const answer = this.handler.authenticate(authorization) ? await this.handler.handle(body) : this.handler.unauthenticated();
    res.status(answer.status).set({ 'cache-control': 'no-store', ...answer.headers });
    res.type(answer.status === 200 ? 'application/json' : 'application/problem+json').send(JSON.stringify(answer.body));
  }
}
