import { Body, Controller, Delete, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../auth/auth.decorators';
import { Access, body, param, query } from '../access/access.decorators';
import { Actor, CurrentActor } from '../common/actor';
import { sendPage } from '../common/paging';
import { UuidParam } from '../common/params';
import { CreateWaitlistEntryDto, OffersQueryDto, OffersReportResponse, WaitlistEntryResponse, WaitlistQueryDto } from './dto/waitlist.dto';
import { WaitlistService } from './waitlist.service';

@ApiTags('waitlist')
@ApiBearerAuth()
@Controller('waitlist')
export class WaitlistController {
  constructor(private readonly waitlist: WaitlistService) {}

  /** Puts a patient on the waitlist for a treatment at some clinics, dates and times of day. */
  @Roles('front_desk', 'provider')
  @Access({ patient: body('patientId'), location: body('locationIds') })
  @Post()
  @ApiCreatedResponse({ type: WaitlistEntryResponse })
  create(@Body() dto: CreateWaitlistEntryDto, @CurrentActor() actor: Actor): Promise<WaitlistEntryResponse> {
    return this.waitlist.create(dto, actor);
  }

  /** A clinic's active entries in the order freed slots are offered: priority, then the oldest. */
  @Roles('front_desk', 'nurse', 'provider')
  @Access({ location: query('locationId') })
  @Get()
  @ApiOkResponse({ type: [WaitlistEntryResponse] })
  async list(
    @Query() query: WaitlistQueryDto,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WaitlistEntryResponse[]> {
    return sendPage(reply, await this.waitlist.list(query, actor));
  }

  /** The offers made at a clinic in a time window, and what they achieved. */
  @Roles('front_desk', 'provider')
  @Access({ location: query('locationId') })
  @Get('offers')
  @ApiOkResponse({ type: OffersReportResponse })
  offers(@Query() query: OffersQueryDto, @CurrentActor() actor: Actor): Promise<OffersReportResponse> {
    return this.waitlist.offersReport(query, actor);
  }

  @Roles('front_desk', 'provider')
  @Access({ waitlistEntry: param('id') })
  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Taken off the list; an open offer is withdrawn and offered on' })
  remove(@UuidParam('id') id: string, @CurrentActor() actor: Actor): Promise<void> {
    return this.waitlist.remove(id, actor);
  }
}
