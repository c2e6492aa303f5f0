import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, ManagementAuthGuard, Principal } from '@latchkey/auth';
import { CreateWebhookRequest, CreateWebhookResponse, WebhookEndpointDto } from './dto/webhook.dto';
import { StoredEndpoint } from './webhook-endpoint.repository';
import { WebhooksService } from './webhooks.service';

/** Signed webhook endpoints (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature). */
@ApiTags('webhooks')
@ApiBearerAuth()
@UseGuards(ManagementAuthGuard)
@Controller('v1/notifications/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiCreatedResponse({ type: CreateWebhookResponse })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateWebhookRequest): Promise<{ endpoint: StoredEndpoint; secret: string }> {
    return this.webhooks.create(principal, body);
  }

  @Get()
  @ApiOkResponse({ type: [WebhookEndpointDto] })
  async list(@CurrentPrincipal() principal: Principal): Promise<{ items: StoredEndpoint[] }> {
    return { items: await this.webhooks.list(principal) };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'deactivated; its deliveries stay in the log' })
  async remove(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    await this.webhooks.remove(principal, id);
  }
}
