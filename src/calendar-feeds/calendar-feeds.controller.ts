import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Access, body } from '../access/access.decorators';
import { Public, Roles } from '../auth/auth.decorators';
import { Actor, CurrentActor } from '../common/actor';
import { UuidParam } from '../common/params';
import { CalendarFeedsService } from './calendar-feeds.service';
import { CalendarFeedResponse, CreateCalendarFeedDto, CreatedCalendarFeedResponse } from './dto/calendar-feed.dto';

const STAFF = ['front_desk', 'nurse', 'provider'] as const;

@ApiTags('calendar feeds')
@ApiBearerAuth()
@Controller('calendar-feeds')
export class CalendarFeedsController {
  constructor(private readonly feeds: CalendarFeedsService) {}

  /** The answer holds the feed's URL, and only this answer. */
  @Roles(...STAFF)
  @Access({ location: body('id'), resource: body('id') })
  @Post()
  @ApiCreatedResponse({ type: CreatedCalendarFeedResponse })
  create(@Body() dto: CreateCalendarFeedDto, @CurrentActor() actor: Actor): Promise<CreatedCalendarFeedResponse> {
    return this.feeds.create(dto, actor);
  }

  /** Your live feeds (an admin sees everyone's), without their URLs. */
  @Roles(...STAFF)
  @Access.unscoped("one's own feeds (an admin's: everyone's)")
  @Get()
  @ApiOkResponse({ type: [CalendarFeedResponse] })
  list(@CurrentActor() actor: Actor): Promise<CalendarFeedResponse[]> {
    return this.feeds.list(actor);
  }

  @Roles(...STAFF)
  @Access.unscoped("one's own feed (the service refuses anyone else's)")
  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  revoke(@UuidParam('id') id: string, @CurrentActor() actor: Actor): Promise<void> {
    return this.feeds.revoke(id, actor);
  }
}

/** The feeds themselves, at /ical/<token>.ics: the token is the only credential (calendar apps send no headers). */
@ApiTags('calendar feeds')
@Controller('ical')
export class IcalController {
  constructor(private readonly feeds: CalendarFeedsService) {}

  @Public()
  @Get(':file')
  @Header('content-type', 'text/calendar; charset=utf-8')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'An iCalendar feed (RFC 5545, VTIMEZONE America/Denver): 30 days back to 180 days ahead' })
  @ApiProduces('text/calendar')
  @ApiOkResponse({ description: 'text/calendar' })
  feed(@Param('file') file: string): Promise<string> {
    return this.feeds.render(file);
  }
}
