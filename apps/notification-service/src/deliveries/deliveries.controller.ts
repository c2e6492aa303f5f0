import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminGuard, ManagementAuthGuard } from '@latchkey/auth';
import { DigestService } from '../digest/digest.service';
import { ReminderPassResult, RemindersService } from '../reminders/reminders.service';
import { DeliveriesService, DeliverySummary } from './deliveries.service';
import { DeliveryDto, DeliveryQueryDto } from './dto/deliveries.dto';

/** Administrators: the delivery log, dead letters, replay, and running a reminder pass or a digest now. */
@ApiTags('deliveries')
@ApiBearerAuth()
@UseGuards(ManagementAuthGuard, AdminGuard)
@Controller('v1/admin/notifications')
export class DeliveriesController {
  constructor(
    private readonly deliveries: DeliveriesService,
    private readonly reminders: RemindersService,
    private readonly digest: DigestService,
  ) {}

  @Get('deliveries')
  @ApiOkResponse({ type: [DeliveryDto], description: 'newest first; status=dead lists the dead-letter store' })
  list(@Query() q: DeliveryQueryDto): Promise<{ items: DeliverySummary[]; nextCursor: string | null }> {
    return this.deliveries.list(q);
  }

  @Get('deliveries/:id')
  @ApiOkResponse({ type: DeliveryDto, description: 'with every attempt (time, duration, outcome)' })
  get(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.deliveries.get(id);
  }

  @Post('deliveries/:id/replay')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: DeliveryDto, description: 'queued again with fresh attempts' })
  replay(@Param('id', new ParseUUIDPipe()) id: string): Promise<DeliverySummary> {
    return this.deliveries.replay(id);
  }

  @Post('reminders/run')
  @HttpCode(200)
  @ApiOkResponse({ description: 'one reminder pass now: tokens looked at, reminders due, deliveries queued' })
  runReminders(): Promise<ReminderPassResult> {
    return this.reminders.runPass();
  }

  @Post('digest')
  @HttpCode(200)
  @ApiOkResponse({ description: 'the admin digest now (in addition to the daily one)' })
  runDigest(): Promise<{ day: string; queued: number }> {
    return this.digest.run(new Date(), true);
  }
}
